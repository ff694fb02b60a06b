package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repair rebuilds the block-start map by clearing it whole, then marking each allocated block
 * as it walks the tiling: in between, every live block is unmarked. Lock-free readers of the map
 * (ObjectStore.requireLive, behind Structs.handle and every "requireLive" use) then say a live
 * object "was freed". The repair here is owed by a peer's takeover (repair_requested = 1), as a C
 * or Python peer leaves it; any Java process's next region-lock use runs it.
 */
class RepairMapWindowTest {
    @TempDir
    Path directory;

    @Test
    void aLiveObjectNeverLooksFreedWhileAnotherThreadRepairs() throws Exception {
        Path file = directory.resolve("window.region");
        try (SharedMemory shm = SharedMemory.create(file, 64L << 20, RegionOption.KEEP_FILE)) {
            for (int i = 0; i < 50_000; i++) {
                shm.rawValue(Point.class);
            }
            Point victim = shm.rawValue(Point.class);
            Structs.handle(victim);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try {
                        Structs.handle(victim);
                    } catch (Throwable t) {
                        seen.compareAndSet(null, t);
                        return;
                    }
                }
            });
            int repairs = 0;
            for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end && seen.get() == null; repairs++) {
                RegionWords.write(file, RegionWords.HDR_REPAIR_REQUESTED, 1);
                shm.free(shm.rawValue(Point.class));     // takes the region lock: repairs first
            }
            stop.set(true);
            reader.join();
            assertEquals(null, seen.get(), "after " + repairs + " repairs, a live object's handle was refused: " + seen.get());
        }
    }
}
