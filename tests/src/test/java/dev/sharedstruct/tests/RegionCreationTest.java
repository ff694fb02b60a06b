package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.RegionSpaceException;
import dev.sharedstruct.SharedByteArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.TypeCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creation is all or nothing: a creator killed half-way leaves nothing at the path, and a full tmpfs fails at create. */
class RegionCreationTest {

    @Test
    void aCreatorKilledHalfWayLeavesNothingThatBlocksTheNext(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("half.region");
        try (RawChild creator = RawChild.start(IntegrityChildren.Creator.class,
                List.of("-Dsharedstruct.test.pauseChance=1", "-Dsharedstruct.test.pauseAt=create.beforePublish"),
                path.toString(), Long.toString(1 << 20))) {
            assertEquals("paused:create.beforePublish", creator.readLine(), creator.errors());
            creator.kill();
        }
        assertFalse(Files.exists(path), "nothing is published before the region is complete");
        long start = System.nanoTime();
        try (SharedMemory shm = SharedMemory.openOrCreate(path, 1 << 20)) {
            assertTrue(shm.isCreator());
            assertTrue(shm.verify().consistent());
            try (Stream<Path> left = Files.list(directory)) {
                assertEquals(List.of(path), left.toList(), "the dead creator's temporary file was cleaned up");
            }
        }
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "at once, not after a timeout");
    }

    /**
     * The creator deletes its file on close, but only while the path still names it: a region
     * made again at the same path meanwhile (the first file removed by hand or by a tool) is
     * another process's, and closing the first must not delete it.
     */
    @Test
    void closeDeletesTheFileItCreatedNotARegionMadeAgainAtThePath(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("reused.region");
        SharedMemory first = SharedMemory.create(path, SharedMemory.MIN_SIZE);
        Files.delete(path);
        try (SharedMemory second = SharedMemory.create(path, 1 << 16, RegionOption.KEEP_FILE)) {
            second.findOrCreateArray("kept", TypeCode.BYTE, 4).set(0, (byte) 7);
            first.close();
            assertTrue(Files.exists(path), "closing the first region deleted the second's file");
        }
        try (SharedMemory again = SharedMemory.open(path)) {
            assertEquals(7, again.findArray("kept", TypeCode.BYTE).orElseThrow().get(0));
        }
        Path own = directory.resolve("own.region");
        try (SharedMemory region = SharedMemory.create(own, SharedMemory.MIN_SIZE)) {
            assertTrue(Files.exists(region.path()));
        }
        assertFalse(Files.exists(own), "the creator's own file is deleted on close");
    }

    @Test
    void aFileThatIsNoRegionIsRefusedAtOnceWhateverItsLength(@TempDir Path directory) throws Exception {
        for (int length : new int[] {0, 7, 23, 255, 256, 4096, 1 << 16}) {
            Path path = directory.resolve("junk-" + length);
            Files.write(path, new byte[length]);
            long start = System.nanoTime();
            InvalidRegionException refused = assertThrows(InvalidRegionException.class, () -> SharedMemory.openOrCreate(path, 1 << 16));
            assertTrue(System.nanoTime() - start < 2_000_000_000L, "refused at once");
            assertTrue(refused.getMessage().contains(path.toString()), refused.getMessage());
            assertEquals(length, Files.size(path), "left as it was");
        }
    }

    @Test
    void aRegionWhoseFileWasTruncatedReportsTheFaultNamingTheRegion(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("truncated.region");
        try (SharedMemory shm = SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE)) {
            try (var channel = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(1 << 16);      // past the block-start map and the name index, short of the array
            }
            InvalidRegionException fault = assertThrows(InvalidRegionException.class, () -> shm.rawArray(TypeCode.BYTE, 500_000));
            assertTrue(fault.getMessage().contains(path.toString()) && fault.getMessage().contains("truncated"), fault.getMessage());
        }
    }

    @Test
    void aFullTmpfsFailsAtCreateNamingTheBytes() throws Exception {
        Path mount = Files.createTempDirectory("sharedstruct-tmpfs");
        Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeTrue(process.waitFor() == 0, "mounting a tmpfs needs root; skipped");
        try {
            try (SharedMemory first = SharedMemory.create(mount.resolve("first.region"), 3 << 20)) {
                RegionSpaceException full = assertThrows(RegionSpaceException.class,
                        () -> SharedMemory.create(mount.resolve("second.region"), 3 << 20));
                assertTrue(full.getMessage().contains(Long.toString(3 << 20)), full.getMessage());
                assertTrue(full.getMessage().contains("bytes free"), full.getMessage());
                try (Stream<Path> left = Files.list(mount)) {
                    assertEquals(List.of(mount.resolve("first.region")), left.toList(), "nothing left behind by the failed create");
                }
                // Every page of the first region is real: filling it all faults nowhere.
                SharedByteArray all = first.rawArray(TypeCode.BYTE, (int) (first.freeBytes() - 64));
                all.fill((byte) 7);
                assertEquals(7, all.get(all.length() - 1));
            }
            try (SharedMemory sparse = SharedMemory.create(mount.resolve("sparse.region"), 64 << 20, RegionOption.SPARSE)) {
                assertEquals(64 << 20, sparse.size(), "SPARSE skips the reservation, at the risk the README names");
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
            Files.deleteIfExists(mount);
        }
    }
}
