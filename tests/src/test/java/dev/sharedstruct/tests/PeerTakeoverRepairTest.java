package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.tests.Samples.Point;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C and Python peers only read a region's metadata, so when one of them takes the region lock
 * over from a Java process killed half-way through a free, the repair that takeover calls for is
 * owed: the peer records it in the header ({@code repair_requested}), finds names through the
 * entry chain (the one structure that is true before the repair), and the next Java process to
 * take the region lock performs the repair (docs/FORMAT.md §4.5).
 */
class PeerTakeoverRepairTest {
    private static final long REPAIR_REQUESTED = 184;

    @Test
    void aPeerThatTakesTheRegionLockOverLeavesTheRepairToTheNextJavaProcess(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("takeover.region");
        try (SharedMemory shm = SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE)) {
            shm.findOrCreate("kept", Point.class).x(7);
            IntegrityChildren.killMidFree(path);
            assertEquals(0, repairRequested(path), "no repair is owed before a peer takes the lock over");

            String python = Peers.run(List.of("python3", Peers.repository().resolve("python/tools/peer.py").toString(),
                    "show", path.toString(), "kept"));
            assertTrue(python.contains("x=7"), "the Python peer found the name through the entry chain: " + python);
            assertEquals(1, repairRequested(path), "the Python peer took the lock over and left the repair owed");

            String c = Peers.run(List.of(Peers.cPeer().toString(), "check", path.toString(), "kept"));
            assertTrue(c.startsWith("found kept"), "the C peer found the name while the repair is owed: " + c);

            assertNull(IntegrityChildren.problemsOf(shm), "the next Java use of the region lock repaired it");
            assertEquals(0, repairRequested(path), "and marked the repair done");
            assertEquals(7, shm.find("kept", Point.class).orElseThrow().x());
        }
    }

    private static long repairRequested(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path)) {
            ByteBuffer word = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(word, REPAIR_REQUESTED);
            return word.getLong(0);
        }
    }
}
