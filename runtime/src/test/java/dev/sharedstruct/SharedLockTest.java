package dev.sharedstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SharedLock between threads of one JVM: reentrancy, ownership, timeouts, interruption. */
class SharedLockTest {
    private SharedMemory shm;
    private SharedLock lock;

    @BeforeEach
    void open() {
        shm = SharedMemory.create(1 << 16);
        lock = shm.newLock();
    }

    @AfterEach
    void close() {
        shm.close();
    }

    /** Runs {@code body} on a new thread while this one holds the lock, and returns its result. */
    private <T> T fromOtherThread(java.util.concurrent.Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        thread.join();
        return result.get();
    }

    @Test
    void waitersUseFutexesExactlyWhenNativeAccessIsEnabled() {
        boolean nativeAccess = SharedLock.class.getModule().isNativeAccessEnabled();
        assertEquals(nativeAccess, Waiting.usesFutex());
        assertEquals("parking".equals(System.getProperty("sharedstruct.test.mode")), !nativeAccess,
                "the without-native-access run must really run without it");
    }

    @Test
    void theCellLayoutIsThirtyTwoBytesAlignedForEightByteWords() {
        assertEquals(32, SharedLock.CELL.byteSize());
        assertEquals(8, SharedLock.CELL.byteAlignment());
    }

    @Test
    void isReentrantAndCountsHolds() {
        lock.lock();
        lock.lock();
        assertEquals(2, lock.holdCount());
        lock.unlock();
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
        assertFalse(lock.isLocked());
        assertEquals(0, lock.holdCount());
    }

    @Test
    void unlockWithoutHoldingThrows() {
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::unlock);
        assertTrue(e.getMessage().contains("the lock is held by nobody"), e.getMessage());
    }

    @Test
    void unlockByAnotherThreadThrowsAndLeavesTheLockHeld() throws Exception {
        lock.lock();
        Throwable thrown = fromOtherThread(() -> {
            try {
                lock.unlock();
                return null;
            } catch (IllegalMonitorStateException e) {
                return e;
            }
        });
        assertTrue(thrown instanceof IllegalMonitorStateException);
        assertTrue(thrown.getMessage().contains("held by process " + ProcessHandle.current().pid()), thrown.getMessage());
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
    }

    @Test
    void tryLockFailsWhileAnotherThreadHoldsIt() throws Exception {
        lock.lock();
        assertEquals(false, fromOtherThread(lock::tryLock));
        assertEquals(false, fromOtherThread(() -> lock.tryLock(20, TimeUnit.MILLISECONDS)));
        lock.unlock();
        assertEquals(true, fromOtherThread(() -> {
            boolean acquired = lock.tryLock();
            lock.unlock();
            return acquired;
        }));
    }

    @Test
    void aWaiterAcquiresAfterTheRelease() throws Exception {
        lock.lock();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Boolean> acquired = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            waiting.countDown();
            lock.lock();
            acquired.complete(lock.isHeldByCurrentThread());
            lock.unlock();
        });
        waiting.await();
        lock.unlock();
        assertTrue(acquired.get(30, TimeUnit.SECONDS));
        waiter.join();
        assertFalse(lock.isLocked());
    }

    @Test
    void lockInterruptiblyGivesUpOnInterrupt() throws Exception {
        lock.lock();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                lock.lockInterruptibly();
                outcome.complete(null);
            } catch (InterruptedException e) {
                outcome.complete(e);
            }
        });
        while (lock.waiters() == 0) {
            Thread.onSpinWait();
        }
        waiter.interrupt();
        assertTrue(outcome.get(30, TimeUnit.SECONDS) instanceof InterruptedException);
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
    }

    @Test
    void acquireReturnsAHandleThatReleasesOnceOnClose() {
        SharedLock.Held held = lock.acquire();
        lock.lock();
        assertEquals(2, lock.holdCount());
        held.close();
        held.close();
        assertEquals(1, lock.holdCount(), "a second close released another acquisition");
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void conditionsAreRefusedWithAReason() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, lock::newCondition);
        assertTrue(e.getMessage().contains("SharedLock has no conditions"), e.getMessage());
    }
}
