package dev.sharedstruct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SharedCondition between threads of one JVM (across processes: LockAcrossProcessesTest in tests). */
class SharedConditionTest {
    private SharedMemory shm;
    private SharedLock lock;
    private SharedCondition condition;

    @BeforeEach
    void open() {
        shm = SharedMemory.create(1 << 16);
        lock = shm.newLock();
        condition = lock.newCondition();
    }

    @AfterEach
    void close() {
        shm.close();
    }

    /** Waits until a thread has released the lock inside await (the lock is free or taken by someone else). */
    private void awaitWaiting(Thread waiter) {
        while (waiter.getState() != Thread.State.TIMED_WAITING && waiter.getState() != Thread.State.RUNNABLE
                || lock.isLocked()) {
            Thread.onSpinWait();
        }
    }

    /**
     * The usual pattern with try-with-resources on both sides, two threads of one JVM sharing the
     * lock object: the signaller's acquire gets the same reused first-hold handle the waiter
     * holds, and its close must not leave the waiter's handle closed, or the waiter's close would
     * do nothing and the lock would stay held by a thread that is gone.
     */
    @Test
    void awaitingThroughAHandleWhileAnotherThreadTakesTheLockLeavesItFreeAfterBoth() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        AtomicBoolean entered = new AtomicBoolean();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try (var _ = lock.acquire()) {
                entered.set(true);
                while (!ready.get()) {
                    condition.awaitUninterruptibly();
                }
            }
        });
        while (!entered.get()) {
            Thread.onSpinWait();
        }
        awaitWaiting(waiter);
        try (var _ = lock.acquire()) {
            ready.set(true);
            condition.signal();
        }
        waiter.join(10_000);
        assertFalse(waiter.isAlive(), "the waiter never woke");
        assertFalse(lock.isLocked(), "both holds ended, but " + lock);
        assertTrue(lock.tryLock(), "another thread would wait forever");
        lock.unlock();
    }

    @Test
    void aSignalWakesAWaiterThatHoldsTheLockAgainAfterwards() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        CompletableFuture<Integer> woke = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            lock.lock();
            lock.lock();
            try {
                while (!ready.get()) {
                    condition.await();
                }
                woke.complete(lock.holdCount());
            } catch (InterruptedException e) {
                woke.completeExceptionally(e);
            } finally {
                lock.unlock();
                lock.unlock();
            }
        });
        awaitWaiting(waiter);
        lock.lock();
        ready.set(true);
        condition.signal();
        lock.unlock();
        assertEquals(2, woke.get(30, TimeUnit.SECONDS), "the waiter's two holds came back");
        waiter.join();
        assertFalse(lock.isLocked());
    }

    @Test
    void signalAllWakesEveryWaiter() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        Thread[] waiters = new Thread[3];
        for (int i = 0; i < waiters.length; i++) {
            waiters[i] = Thread.ofPlatform().start(() -> {
                lock.lock();
                try {
                    while (!ready.get()) {
                        condition.awaitUninterruptibly();
                    }
                } finally {
                    lock.unlock();
                }
            });
        }
        for (Thread waiter : waiters) {
            awaitWaiting(waiter);
        }
        lock.lock();
        ready.set(true);
        condition.signalAll();
        lock.unlock();
        for (Thread waiter : waiters) {
            waiter.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(waiter.isAlive());
        }
    }

    @Test
    void timedAwaitsTimeOutHoldingTheLock() throws Exception {
        lock.lock();
        long start = System.nanoTime();
        assertFalse(condition.await(30, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30));
        assertTrue(condition.awaitNanos(1_000_000) <= 0);
        assertFalse(condition.awaitUntil(new java.util.Date(System.currentTimeMillis() + 20)));
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(1, lock.holdCount());
        lock.unlock();
    }

    @Test
    void anInterruptEndsAwaitWithTheLockHeld() throws Exception {
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            lock.lock();
            try {
                condition.await();
                outcome.complete(false);
            } catch (InterruptedException e) {
                outcome.complete(lock.isHeldByCurrentThread());
            } finally {
                lock.unlock();
            }
        });
        awaitWaiting(waiter);
        waiter.interrupt();
        assertTrue(outcome.get(30, TimeUnit.SECONDS), "interrupted, and holding the lock again");
        waiter.join();
    }

    @Test
    void awaitUninterruptiblyKeepsWaitingAndKeepsTheFlag() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        CompletableFuture<Boolean> flag = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            lock.lock();
            try {
                while (!ready.get()) {
                    condition.awaitUninterruptibly();
                }
                flag.complete(Thread.currentThread().isInterrupted());
            } finally {
                lock.unlock();
            }
        });
        awaitWaiting(waiter);
        waiter.interrupt();
        Thread.sleep(100);
        assertFalse(flag.isDone(), "the interrupt ended an uninterruptible await");
        lock.lock();
        ready.set(true);
        condition.signal();
        lock.unlock();
        assertTrue(flag.get(30, TimeUnit.SECONDS), "the interrupt flag was lost");
        waiter.join();
    }

    @Test
    void signalAndAwaitWithoutTheLockAreRefused() {
        assertThrows(IllegalMonitorStateException.class, condition::signal);
        assertThrows(IllegalMonitorStateException.class, condition::signalAll);
        assertThrows(IllegalMonitorStateException.class, condition::await);
    }

    @Test
    void theSameConditionIsFoundByItsId() {
        SharedCondition found = lock.condition(condition.id());
        assertEquals(condition.id(), found.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lock.condition(8));
        assertTrue(e.getMessage().contains("offset 8"), e.getMessage());
    }
}
