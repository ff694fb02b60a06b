package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.RegionInspector;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedIntArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RegionInspector#remove} (the command's {@code rm}) frees a named object as
 * {@code SharedMemory.free} does, and must leave the region as that does: no removal recorded as
 * still in progress. A stale record is not harmless: the repair after the next dead region-lock
 * holder rolls it forward and frees whatever live objects reuse its offsets by then.
 */
class InspectorRemoveTest {

    @Test
    void removeLeavesNoRemovalRecordedAsInProgress() {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            shm.findOrCreateArray("doomed", TypeCode.INT, 16);
            RegionInspector.of(shm).remove("doomed", Duration.ofSeconds(5));
            assertNull(IntegrityChildren.problemsOf(shm), "verify after rm");
            assertTrue(shm.findArray("doomed", TypeCode.INT).isEmpty());
        }
    }

    /** A timeout too long for a count of nanoseconds (ChronoUnit.FOREVER's) means waiting for as long as it takes. */
    @Test
    void anEndlessTimeoutWaitsRatherThanOverflowing() {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            shm.findOrCreateArray("doomed", TypeCode.INT, 16);
            RegionInspector.of(shm).remove("doomed", java.time.temporal.ChronoUnit.FOREVER.getDuration());
            assertTrue(shm.findArray("doomed", TypeCode.INT).isEmpty());
        }
    }

    @Test
    void theRepairAfterADeadHolderDoesNotFreeWhatReusedARemovedObjectsMemory(@TempDir Path directory) throws InterruptedException {
        Path path = directory.resolve("rm.region");
        try (SharedMemory shm = SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE)) {
            shm.findOrCreateArray("doomed", TypeCode.INT, 16);
            RegionInspector.of(shm).remove("doomed", Duration.ofSeconds(5));
            // Unnamed, live, in the memory the removed object had.
            SharedIntArray live = shm.rawArray(TypeCode.INT, 16);
            live.fill(42);
            String handle = Structs.handle(live);

            // A process dies holding the region lock: the next holder repairs the region.
            try (RawChild child = RawChild.start(Allocating.class,
                    List.of("-Dsharedstruct.test.pauseChance=1", "-Dsharedstruct.test.pauseAt=allocate.beforeTop,allocate.claimed"),
                    path.toString())) {
                assertEquals("opened", child.readLine(), child.errors());
                assertTrue(child.readLine().startsWith("paused:"), child.errors());
                child.kill();
            }

            assertNull(IntegrityChildren.problemsOf(shm), "verify after the repair");
            assertEquals(16, shm.attach(handle, SharedIntArray.class).length(), "the live array is still allocated");
            SharedIntArray other = shm.rawArray(TypeCode.INT, 16);
            other.fill(7);
            int[] expected = new int[16];
            java.util.Arrays.fill(expected, 42);
            assertArrayEquals(expected, live.toArray(), "a new array landed on the live one");
        }
    }

    @Test
    void removeRepairsTheRegionWhenItTakesTheRegionLockOverFromADeadHolder(@TempDir Path directory) throws InterruptedException {
        Path path = directory.resolve("takeover.region");
        try (SharedMemory shm = SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE)) {
            shm.findOrCreateArray("doomed", TypeCode.INT, 16);
            shm.findOrCreateArray("kept", TypeCode.INT, 16).set(3, 7);
            // Dies holding the region lock, half-way through a free.
            IntegrityChildren.killMidFree(path);

            RegionInspector.of(shm).remove("doomed", Duration.ofSeconds(10));

            assertNull(IntegrityChildren.problemsOf(shm), "verify after rm took the region lock over");
            assertTrue(shm.findArray("doomed", TypeCode.INT).isEmpty());
            assertEquals(7, shm.findArray("kept", TypeCode.INT).orElseThrow().get(3));
        }
    }

    /** Opens region args[0], says "opened", and allocates (pausing where the test asks, holding the region lock). */
    static final class Allocating {
        public static void main(String[] args) {
            SharedMemory shm = SharedMemory.open(Path.of(args[0]));
            System.out.println("opened");
            System.out.flush();
            shm.rawArray(TypeCode.INT, 4);
        }
    }
}
