package dev.sharedstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.sharedstruct.internal.lock.Waiting;

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
        CompletableFuture<Boolean> acquired = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            lock.lock();
            acquired.complete(lock.isHeldByCurrentThread());
            lock.unlock();
        });
        // Released only once the waiter has registered, so that the release really has a waiter to wake.
        while (lock.waiters() == 0) {
            Thread.onSpinWait();
        }
        assertFalse(acquired.isDone(), "the waiter got a lock that is held");
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
                // Lock's contract: the interrupt status is cleared when the exception is thrown.
                outcome.complete(Thread.currentThread().isInterrupted() ? new AssertionError("the flag is still set") : e);
            }
        });
        while (lock.waiters() == 0) {
            Thread.onSpinWait();
        }
        waiter.interrupt();
        Throwable thrown = outcome.get(30, TimeUnit.SECONDS);
        assertTrue(thrown instanceof InterruptedException, String.valueOf(thrown));
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

    // ---- re-entry through two objects, takeover, corrupt cells, interrupts ----

    private static final java.lang.invoke.VarHandle OWNER = SharedLock.CELL.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("owner"));
    private static final java.lang.invoke.VarHandle EXTRA_HOLDS = SharedLock.CELL.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("extra_holds"));
    private static final java.lang.invoke.VarHandle WAITERS = SharedLock.CELL.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("waiters"));

    /** The pid of a process that has exited and been reaped. */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    /** Collects what SharedLock logs, instead of printing it. */
    private static final class Captured extends java.util.logging.Handler implements AutoCloseable {
        final java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.logging.Logger logger = java.util.logging.Logger.getLogger(SharedLock.class.getName());

        Captured() {
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
        }

        @Override
        public void publish(java.util.logging.LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(true);
        }
    }

    @Test
    void twoObjectsForOneCellShareTheHoldsOfOneThreadInAnyOrder() throws Exception {
        SharedLock other = new SharedLock(shm, lock.span(), lock.block);
        lock.lock();
        other.lock();
        assertEquals(2, lock.holdCount());
        lock.unlock();
        assertTrue(other.isHeldByCurrentThread(), "released while the other object still held it");
        assertEquals(false, fromOtherThread(lock::tryLock));
        other.unlock();
        assertFalse(lock.isLocked());
        assertEquals(true, fromOtherThread(() -> {
            boolean acquired = other.tryLock();
            other.unlock();
            return acquired;
        }));
    }

    @Test
    void aLockOfADeadProcessIsTakenOverLoggedAndCounted() throws Exception {
        long dead = deadPid();
        OWNER.setVolatile(lock.cell(), 0L, dead << 32 | 7);
        assertEquals(0, lock.recoveriesSinceLastLook());
        try (Captured log = new Captured()) {
            lock.lock();
            assertTrue(lock.isHeldByCurrentThread());
            lock.unlock();
            assertEquals(1, log.records.size(), "one warning per takeover");
            java.util.logging.LogRecord record = log.records.getFirst();
            assertEquals(java.util.logging.Level.WARNING, record.getLevel());
            String message = record.getMessage();
            assertTrue(message.contains("dead process " + dead) && message.contains(shm.path().toString())
                    && message.contains("offset " + shm.offsetOf(lock)), message);
        }
        assertEquals(1, lock.recoveries());
        assertEquals(1, lock.recoveriesSinceLastLook());
        assertEquals(0, lock.recoveriesSinceLastLook(), "reported once");
    }

    @Test
    void acquireTellsOfATakeover() throws Exception {
        OWNER.setVolatile(lock.cell(), 0L, deadPid() << 32 | 7);
        try (Captured _ = new Captured(); SharedLock.Held held = lock.acquire()) {
            assertTrue(held.previousOwnerDied());
        }
        try (SharedLock.Held held = lock.acquire()) {
            assertFalse(held.previousOwnerDied());
        }
    }

    @Test
    void anOwnerWordNoProcessCouldHaveWrittenIsTakenOverNotWaitedOnForever() throws Exception {
        OWNER.setVolatile(lock.cell(), 0L, 0x0000_0000_0000_0005L);
        try (Captured log = new Captured()) {
            assertTrue(lock.tryLock(30, TimeUnit.SECONDS));
            lock.unlock();
            assertTrue(log.records.getFirst().getMessage().contains("corrupt"), log.records.getFirst().getMessage());
        }
        assertFalse(lock.isLocked());
    }

    @Test
    void aClaimResetsALeftOverHoldCount() {
        EXTRA_HOLDS.setVolatile(lock.cell(), 0L, 5);
        lock.lock();
        assertEquals(1, lock.holdCount());
        lock.unlock();
        assertFalse(lock.isLocked(), "a stale extra_holds kept the lock held");
    }

    @Test
    void aNegativeHoldCountGivesAClearErrorAndFreesTheLock() throws Exception {
        SharedLock other = new SharedLock(shm, lock.span(), lock.block);
        lock.lock();
        other.lock();
        EXTRA_HOLDS.setVolatile(lock.cell(), 0L, -3);
        InvalidRegionException e = assertThrows(InvalidRegionException.class, lock::unlock);
        assertTrue(e.getMessage().contains("extra_holds was -3") && e.getMessage().contains("offset " + shm.offsetOf(lock)),
                e.getMessage());
        assertFalse(lock.isLocked(), "a corrupt count wedged the lock");
        assertEquals(true, fromOtherThread(() -> {
            boolean acquired = lock.tryLock();
            lock.unlock();
            return acquired;
        }));
    }

    @Test
    void waitersThatVanishedAreNotCountedForLongWhenTheLockIsFree() {
        // As if five waiters were killed while asleep: registered, never to leave.
        WAITERS.setVolatile(lock.cell(), 0L, 5);
        assertEquals(0, lock.waiters());
        assertEquals(0, lock.waiters());
    }

    @Test
    void waitersThatVanishedAreNotCountedForLongWhileTheLockIsBusy() {
        WAITERS.setVolatile(lock.cell(), 0L, 5);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // Releases find the count non-zero and the wake-up they send never answered.
        while (((int) WAITERS.getVolatile(lock.cell(), 0L) & 0xFFFF) != 0 && System.nanoTime() < until) {
            lock.lock();
            lock.unlock();
        }
        assertEquals(0, (int) WAITERS.getVolatile(lock.cell(), 0L) & 0xFFFF);
    }

    @Test
    void aLiveWaiterRegistersAgainAfterTheCountIsStartedAgain() throws Exception {
        lock.lock();
        Thread waiter = Thread.ofPlatform().start(() -> {
            lock.lock();
            lock.unlock();
        });
        while (lock.waiters() == 0) {
            Thread.onSpinWait();
        }
        int word = (int) WAITERS.getVolatile(lock.cell(), 0L);
        WAITERS.setVolatile(lock.cell(), 0L, (word & 0xFFFF0000) + 0x10000);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lock.waiters() == 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(1, lock.waiters(), "the live waiter did not register in the new generation");
        lock.unlock();
        waiter.join();
        assertEquals(0, (int) WAITERS.getVolatile(lock.cell(), 0L) & 0xFFFF);
    }

    @Test
    void anInterruptedLockKeepsSleepingAndKeepsTheFlag() throws Exception {
        lock.lock();
        CompletableFuture<long[]> outcome = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            Thread.currentThread().interrupt();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            lock.lock();
            long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
            boolean flag = Thread.currentThread().isInterrupted();
            lock.unlock();
            outcome.complete(new long[] {cpu, flag ? 1 : 0});
        });
        while (lock.waiters() == 0) {
            Thread.onSpinWait();
        }
        Thread.sleep(1_500);
        assertFalse(outcome.isDone(), "an interrupt ended lock()");
        lock.unlock();
        long[] result = outcome.get(30, TimeUnit.SECONDS);
        waiter.join();
        assertEquals(1, result[1], "the interrupt flag was lost");
        long cpuMillis = TimeUnit.NANOSECONDS.toMillis(result[0]);
        // Sleeping, the waiter uses some tens of ms in 1.5 s; busy-spinning it would use nearly all of it.
        assertTrue(cpuMillis < 750, "the interrupted waiter burned " + cpuMillis + " ms of CPU in 1.5 s");
    }

    @Test
    void aHandleClosedByAnotherThreadThrows() throws Exception {
        SharedLock.Held held = lock.acquire();
        Throwable thrown = fromOtherThread(() -> {
            try {
                held.close();
                return null;
            } catch (IllegalMonitorStateException e) {
                return e;
            }
        });
        assertTrue(thrown instanceof IllegalMonitorStateException);
        assertTrue(lock.isHeldByCurrentThread());
        held.close();
        assertFalse(lock.isLocked());
    }

    @Test
    void theFirstHoldsHandleIsReusedAndNestedOnesAreNot() {
        SharedLock.Held first = lock.acquire();
        SharedLock.Held nested = lock.acquire();
        assertTrue(first != nested);
        nested.close();
        first.close();
        assertTrue(first == lock.acquire(), "a first hold allocated a new handle");
        lock.unlock();
    }
}
