package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * More virtual threads than carriers contend for a lock whose holder sleeps inside its critical
 * section (unmounting). Waiters must not pin the carriers while they wait (a futex wait would),
 * or the holder is never mounted again to release and nothing moves. Run with and without
 * native access, as every class of this module is.
 */
class VirtualThreadLockTest {
    private static final int ROUNDS = 40;

    @Test
    void virtualThreadsWaitingForALockLeaveTheCarriersToTheHolder() throws Exception {
        int threads = 2 * Runtime.getRuntime().availableProcessors() + 1;
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Counter counter = shm.value(Counter.class);
            SharedLock lock = Structs.lock(counter);
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                started.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < ROUNDS; i++) {
                        try (var _ = lock.acquire()) {
                            counter.count(counter.count() + 1);
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (Thread thread : started) {
                // The message reads without the lock, which a stuck run never gives back.
                assertTrue(thread.join(java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))),
                        () -> "no progress: " + Structs.raw(counter).count() + " of " + threads * ROUNDS + " increments done, " + lock);
            }
            assertEquals(threads * ROUNDS, counter.count());
        }
    }
}
