package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Closing a region while a thread of this process holds one of its locks would leave that lock
 * held by a live process, which every other process would wait for until this one exits: close
 * refuses instead, and the region stays usable. After a close, every use says the region is
 * closed (not FFM's bare "Already closed", not "was freed").
 */
class RegionCloseTest {
    @Test
    void closeIsRefusedWhileAnotherThreadHoldsALockAndWorksAfterTheRelease() throws Exception {
        SharedMemory shm = SharedMemory.create(1 << 16);
        Counter counter = shm.value(Counter.class);
        SharedLock lock = Structs.lock(counter);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            try (var _ = lock.acquire()) {
                holding.countDown();
                release.await();
                counter.count(counter.count() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        IllegalStateException refused = assertThrows(IllegalStateException.class, shm::close);
        assertTrue(refused.getMessage().contains("holds the lock at offset"), refused.getMessage());
        assertTrue(refused.getMessage().contains("thread " + holder.threadId()), refused.getMessage());
        release.countDown();
        holder.join(10_000);
        assertFalse(holder.isAlive());
        assertEquals(1, counter.count(), "the holder's critical section ran to the end in the open region");
        assertFalse(lock.isLocked());
        shm.close();
    }

    @Test
    void closeIsRefusedWhileTheClosingThreadHoldsALock() {
        SharedMemory shm = SharedMemory.create(1 << 16);
        SharedLock lock = shm.newLock();
        lock.lock();
        assertThrows(IllegalStateException.class, shm::close);
        lock.unlock();
        shm.close();
    }

    private static void assertClosedMessage(Executable use) {
        IllegalStateException e = assertThrows(IllegalStateException.class, use);
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }

    @Test
    void everyUseAfterCloseSaysTheRegionIsClosed() {
        SharedMemory shm = SharedMemory.create(1 << 16);
        Counter counter = shm.value(Counter.class);
        Counter raw = Structs.raw(counter);
        SharedLock lock = Structs.lock(counter);
        SharedLock separate = shm.newLock();
        var condition = separate.newCondition();
        shm.close();
        assertClosedMessage(counter::count);
        assertClosedMessage(() -> counter.count(1));
        assertClosedMessage(raw::count);
        assertClosedMessage(lock::lock);
        assertClosedMessage(lock::tryLock);
        assertClosedMessage(() -> lock.tryLock(1, TimeUnit.MILLISECONDS));
        assertClosedMessage(lock::acquire);
        assertClosedMessage(separate::lock);
        assertClosedMessage(() -> condition.await(1, TimeUnit.MILLISECONDS));
    }
}
