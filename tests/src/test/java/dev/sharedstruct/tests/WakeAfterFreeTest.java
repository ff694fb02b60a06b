package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.testsupport.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release with waiters registered never writes into the block after releasing it. Once
 * {@code owner} is {@code FREE}, the waiter that was registered may take the lock, release it
 * and leave (count 0), {@code free} may claim the lock and free the block, and another allocation
 * may reuse it, all before the releaser's next instruction; so the release announces its
 * wake-up in {@code wakeups} before its store of {@code FREE} and only makes the system call,
 * which writes nothing, after it (docs/LOCK.md, "wakeups"). Found by attack: the release used to
 * store {@code FREE} first and then read the new object's word at offset 12 as a waiter count
 * and increment its word at offset 16.
 *
 * <p>Here every reused block is a raw {@code long[5]} whose word at offset 12 reads as "generation
 * 1, 1 waiter" and whose word at 16 is 0 (an even futex word); a child's three threads contend
 * for 200 counters' own locks (so that releases find waiters) while this process frees each
 * counter as soon as it may and reuses its block at once. Rounds go on for 4 s and stop at the
 * first array found changed (its element 2 then reads 1); the old release failed within a few rounds.
 */
class WakeAfterFreeTest {
    private static final int COUNTERS = 200;
    private static final long[] PATTERN = {0, 0x0001_0001_0000_0000L, 0, 0, 0};

    @TempDir
    Path directory;

    @Test
    void aReleaserNeverWritesIntoABlockFreedAndReusedAfterItsRelease() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        int rounds = 0;
        while (System.nanoTime() - end < 0) {
            round(rounds++);
        }
        System.out.println("WakeAfterFreeTest: " + rounds + " rounds, no write found");
    }

    private void round(int round) throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            List<Counter> counters = new ArrayList<>();
            List<String> handles = new ArrayList<>();
            for (int i = 0; i < COUNTERS; i++) {
                counters.add(shm.value(Counter.class));
                handles.add(Structs.handle(counters.getLast()));
            }
            Path handleFile = Files.write(directory.resolve("handles-" + round + ".txt"), handles);
            ChildJvm child = ChildJvm.start(FreeReuseStormTest.Hammer.class, handleFile.toString());
            try {
                child.awaitOutput("ready", Duration.ofMinutes(1));
                List<SharedLongArray> arrays = new ArrayList<>();
                for (Counter counter : counters) {
                    long block = Handle.parse(Structs.handle(counter)).placement().block();
                    Frees.persistently(shm, counter, Duration.ofMinutes(1));
                    SharedLongArray array = shm.rawArray(TypeCode.LONG, PATTERN);
                    assertEquals(block, Handle.parse(Structs.handle(array)).placement().block());
                    arrays.add(array);
                }
                child.joinSuccessfully(Duration.ofMinutes(1));
                for (SharedLongArray array : arrays) {
                    if (!Arrays.equals(PATTERN, array.toArray())) {
                        fail("round " + round + ": a block reused after a free was written: " + Arrays.toString(array.toArray())
                                + " instead of " + Arrays.toString(PATTERN) + "; child: " + child.output());
                    }
                }
            } finally {
                child.process().destroyForcibly();
            }
        }
    }
}
