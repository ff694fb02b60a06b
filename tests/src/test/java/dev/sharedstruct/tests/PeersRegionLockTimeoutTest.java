package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The region lock's owner word forged to name a live process (pid 1, with no start time to tell a
 * reused pid): it never dies, so no takeover comes, and the peers' find waited for good. Both
 * give up after their region-lock timeout, saying why, and leave the file as it was.
 */
class PeersRegionLockTimeoutTest {
    /** The region lock's cell in the header (docs/FORMAT.md §2). */
    private static final long HDR_LOCK = 32;

    @TempDir
    Path directory;

    private Path regionHeldByPidOne() {
        Path file = directory.resolve("held.region");
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            shm.findOrCreate("p", Point.class).x(1);
        }
        RegionWords.write(file, HDR_LOCK + RegionWords.OWNER_START, 0);     // unknown start: trust the pid
        RegionWords.write(file, HDR_LOCK, 1L << 32 | 1);                      // thread 1 of pid 1, alive for good
        return file;
    }

    @Test
    void pythonGivesUpOnARegionLockHeldForGood() throws Exception {
        Path file = regionHeldByPidOne();
        byte[] before = Files.readAllBytes(file);
        String said = Peers.run(List.of("python3", "-c", """
                import sys
                sys.path.insert(0, sys.argv[2])
                from sharedstruct import Region
                with Region.open(sys.argv[1]) as region:
                    region.LOCK_TIMEOUT = 0.5
                    try:
                        region.find("p")
                    except TimeoutError as e:
                        print("timed out:", e)
                """, file.toString(), Peers.repository().resolve("python").toString())).strip();
        assertEquals("timed out: gave up after 0.5 s waiting for the region lock of " + file + " (its owner word names pid 1):"
                + " the holder is stuck, or the region is corrupt", said);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "the file is as it was");
    }

    @Test
    void cGivesUpOnARegionLockHeldForGood() throws Exception {
        Path file = regionHeldByPidOne();
        byte[] before = Files.readAllBytes(file);
        Path binary = directory.resolve("peer-short-timeout");
        Peers.run(List.of("gcc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-DSS_REGION_LOCK_TIMEOUT_NS=1000000000",
                "-I", Peers.repository().resolve("c").toString(), Peers.repository().resolve("c/peer.c").toString(),
                "-o", binary.toString()));
        Process c = Peers.start(List.of(binary.toString(), "check", file.toString(), "p"));
        String out = Peers.finish(c, 60);
        String said = out.strip() + " " + PeersTest.errors(c).strip();
        assertEquals(1, c.exitValue(), said);
        assertTrue(said.contains("gave up after 1 s waiting for the region lock of " + file + " (its owner word names pid 1)"), said);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "the file is as it was");
    }
}
