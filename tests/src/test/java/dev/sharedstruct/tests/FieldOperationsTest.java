package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedLock;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** compareAndSet, getAndAdd, update and friends, generated from their names. */
class FieldOperationsTest extends RegionTest {

    @Test
    void eachOperationDoesWhatItsNameSays() {
        Stats stats = shm.value(Stats.class);
        assertTrue(stats.compareAndSetCount(0, 5));
        assertFalse(stats.compareAndSetCount(0, 6));
        assertEquals(5, stats.getAndAddCount(3));
        assertEquals(10, stats.addAndGetCount(2));
        assertEquals(10, stats.getAndSetCount(1));
        assertEquals(3, stats.updateCount(v -> v * 3));
        assertEquals(3, stats.getVolatileCount());
        stats.setVolatileCount(7);
        assertEquals(7, stats.count());
        stats.setOrderedCount(8);
        assertEquals(8, stats.getVolatileCount());
        assertEquals(4, stats.getAndAddHits(4) + 4);
        assertEquals(16, stats.updateHits(v -> v * v));
        assertEquals(0.25, stats.updateMean(v -> v + 0.25));
        assertEquals(0.25, stats.getVolatileMean());
        assertEquals((short) -32768, stats.updateSmall(v -> v + 32768), "update narrows to the field's type");
    }

    @Test
    void lockFreeOperationsDoNotWaitForTheLockButUpdateDoes() throws Exception {
        Stats stats = shm.value(Stats.class);
        SharedLock lock = Structs.lock(stats);
        lock.lock();
        try {
            CompletableFuture<Long> lockFree = CompletableFuture.supplyAsync(() -> stats.getAndAddCount(1));
            assertEquals(0, lockFree.get(30, TimeUnit.SECONDS), "getAndAdd ran while another thread held the lock");
            CompletableFuture<Long> locked = new CompletableFuture<>();
            Thread updater = Thread.ofPlatform().start(() -> locked.complete(stats.updateCount(v -> v + 10)));
            while (lock.waiters() == 0) {
                Thread.onSpinWait();
            }
            assertFalse(locked.isDone(), "update ran without the lock");
            lock.unlock();
            assertEquals(11, locked.get(30, TimeUnit.SECONDS));
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    @Test
    void lockFreeAndLockedIncrementsFromThreadsLoseNothing() throws Exception {
        Stats stats = shm.rawValue(Stats.class);
        Stats locked = Structs.synchronize(stats);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean lockFree = t % 2 == 0;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200_000; i++) {
                    if (lockFree) {
                        stats.getAndAddCount(1);
                    } else {
                        locked.updateCount(v -> v + 1);
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(800_000, stats.count(), "update's compare-and-set never overwrote a getAndAdd");
    }
}
