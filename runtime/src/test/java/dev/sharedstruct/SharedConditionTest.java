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

    // ---- attacks: every await form, misuse, freed and closed regions, forged words ----

    /** Runs {@code body} on a daemon thread (a wedged one must not keep the JVM alive) and returns it. */
    private static <T> CompletableFuture<T> onThread(java.util.concurrent.Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The cause of a future that ended exceptionally within 10 s. */
    private static Throwable failureOf(CompletableFuture<?> outcome) throws Exception {
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> outcome.get(10, TimeUnit.SECONDS), "still waiting after 10 s, or no exception");
        return e.getCause();
    }

    @Test
    void timedAwaitsWithNoTimeLeftReturnAtOnceHoldingEveryHold() throws Exception {
        try (var _ = lock.acquire()) {
            lock.lock();
            lock.lock();
            assertTrue(condition.awaitNanos(0) <= 0);
            assertTrue(condition.awaitNanos(-5) <= 0);
            assertTrue(condition.awaitNanos(Long.MIN_VALUE) <= 0);
            assertFalse(condition.await(0, TimeUnit.SECONDS));
            assertFalse(condition.await(-1, TimeUnit.DAYS));
            assertFalse(condition.awaitUntil(new java.util.Date(0)));
            assertEquals(3, lock.holdCount());
            lock.unlock();
            lock.unlock();
        }
        assertFalse(lock.isLocked(), "the handle's close released the first hold");
    }

    /**
     * A date far in the past is a deadline that has passed: the wait must not overflow into one
     * that never ends ({@code Long.MIN_VALUE - now} wraps to a large positive number).
     */
    @Test
    void awaitUntilTheEarliestDateReturnsFalseAtOnce() throws Exception {
        CompletableFuture<Boolean> outcome = onThread(() -> {
            lock.lock();
            try {
                return condition.awaitUntil(new java.util.Date(Long.MIN_VALUE));
            } finally {
                lock.unlock();
            }
        });
        assertFalse(outcome.get(10, TimeUnit.SECONDS), "the earliest date is past");
        assertFalse(lock.isLocked());
    }

    @Test
    void theLongestTimedAwaitsWaitForASignalAndSayTimeIsLeft() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        CompletableFuture<long[]> outcome = onThread(() -> {
            lock.lock();
            lock.lock();
            try {
                long left = Long.MAX_VALUE;
                while (!ready.get()) {
                    left = condition.awaitNanos(Long.MAX_VALUE);
                }
                boolean inTime = condition.await(Long.MAX_VALUE, TimeUnit.DAYS) || true;
                return new long[] {left, lock.holdCount(), inTime ? 1 : 0};
            } finally {
                lock.unlock();
                lock.unlock();
            }
        });
        while (!outcome.isDone()) {
            try (var _ = lock.acquire()) {
                ready.set(true);
                condition.signalAll();
            }
            Thread.sleep(5);
        }
        long[] result = outcome.get(10, TimeUnit.SECONDS);
        assertTrue(result[0] > 0, "time left after a signal: " + result[0]);
        assertEquals(2, result[1]);
    }

    @Test
    void nullUnitsAndDatesAreRefusedBeforeTheLockIsReleased() {
        lock.lock();
        try {
            assertThrows(NullPointerException.class, () -> condition.await(1, null));
            assertThrows(NullPointerException.class, () -> condition.awaitUntil(null));
            assertEquals(1, lock.holdCount());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void anInterruptBeforeAwaitThrowsAndLeavesTheLockHeldAndTheFlagCleared() {
        lock.lock();
        try {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, condition::await);
            assertFalse(Thread.currentThread().isInterrupted());
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> condition.awaitNanos(1_000_000));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> condition.await(1, TimeUnit.SECONDS));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> condition.awaitUntil(new java.util.Date(Long.MAX_VALUE)));
            assertFalse(Thread.interrupted());
            assertTrue(lock.isHeldByCurrentThread());
            assertEquals(1, lock.holdCount());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void awaitWithoutTheLockIsRefusedWithAMessageNamingTheLockAndTheThread() {
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class,
                () -> condition.await(1, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("does not hold the lock") && e.getMessage().contains("offset"), e.getMessage());
        assertThrows(IllegalMonitorStateException.class, condition::awaitUninterruptibly);
        assertThrows(IllegalMonitorStateException.class, () -> condition.awaitNanos(5));
        assertThrows(IllegalMonitorStateException.class, () -> condition.awaitUntil(new java.util.Date()));
        assertFalse(lock.isLocked());
    }

    /**
     * The lock (here a lock of its own; a struct's is the same) is freed by another thread while
     * one waits on its condition: nobody can ever signal it again, so the wait must end, saying the
     * lock was freed, rather than sleep forever.
     */
    @Test
    void freeingTheLockEndsAnAwaitWithWasFreed() throws Exception {
        assertFreeingTheLockEnds(condition::await);
    }

    @Test
    void freeingTheLockEndsAnUninterruptibleAwaitWithWasFreed() throws Exception {
        assertFreeingTheLockEnds(condition::awaitUninterruptibly);
    }

    /** What a wait (await or awaitUninterruptibly) under the lock does when the lock is freed under it. */
    private void assertFreeingTheLockEnds(Waiter await) throws Exception {
        CompletableFuture<Boolean> outcome = onThread(() -> {
            lock.lock();
            entered.set(true);
            await.await();
            return true;
        });
        awaitWaitingOn(outcome);
        shm.free(lock);
        Throwable e = failureOf(outcome);
        assertTrue(e instanceof IllegalStateException && e.getMessage().contains("was freed"), String.valueOf(e));
    }

    /** A wait on the condition, as a method reference. */
    private interface Waiter {
        void await() throws InterruptedException;
    }

    /** Set by a waiter while it holds the lock, right before it awaits. */
    private final AtomicBoolean entered = new AtomicBoolean();

    /** Waits until the thread behind {@code outcome} has set {@link #entered} and released the lock in await. */
    private void awaitWaitingOn(CompletableFuture<?> outcome) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((!entered.get() || lock.isLocked()) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(30);
        assertFalse(outcome.isDone(), "the waiter ended before it waited: " + outcome);
        entered.set(false);
    }

    @Test
    void aConditionOfAFreedLockIsRefusedAndAllocatesNothing() {
        shm.free(lock);
        long free = shm.freeBytes();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::newCondition);
        assertTrue(e.getMessage().contains("was freed"), e.getMessage());
        assertEquals(free, shm.freeBytes(), "a cell was allocated for a condition of a freed lock");
        e = assertThrows(IllegalStateException.class, () -> condition.await(1, TimeUnit.MILLISECONDS));
        assertTrue(e.getMessage().contains("was freed"), e.getMessage());
        e = assertThrows(IllegalStateException.class, condition::signal);
        assertTrue(e.getMessage().contains("was freed"), e.getMessage());
    }

    /**
     * Freeing a condition hands its cell back (a program that makes conditions as it goes does
     * not fill the region), ends a wait on it with "was freed" (the waiter has the lock back, as
     * after any await), and refuses every later use, including a second free and a look-up by id.
     */
    @Test
    void freeingAConditionEndsAWaitOnItAndHandsItsCellBack() throws Exception {
        long before = shm.freeBytes();
        SharedCondition made = lock.newCondition();
        long id = made.id();
        assertTrue(shm.freeBytes() < before, "a condition takes a cell");
        CompletableFuture<Boolean> outcome = onThread(() -> {
            lock.lock();
            try {
                entered.set(true);
                made.await();
                return true;
            } catch (IllegalStateException e) {
                assertTrue(lock.isHeldByCurrentThread(), "the waiter has the lock back when its await throws");
                throw e;
            } finally {
                lock.unlock();
            }
        });
        awaitWaitingOn(outcome);

        shm.free(made);

        Throwable e = failureOf(outcome);
        assertTrue(e instanceof IllegalStateException && e.getMessage().contains("condition " + id)
                && e.getMessage().contains("was freed while this thread waited"), String.valueOf(e));
        assertEquals(before, shm.freeBytes(), "the condition's cell was not handed back");
        lock.lock();
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class, made::signal);
            assertTrue(refused.getMessage().contains("cannot be signalled: it was freed"), refused.getMessage());
            refused = assertThrows(IllegalStateException.class, made::signalAll);
            assertTrue(refused.getMessage().contains("cannot be signalled: it was freed"), refused.getMessage());
            refused = assertThrows(IllegalStateException.class, () -> made.await(1, TimeUnit.MILLISECONDS));
            assertTrue(refused.getMessage().contains("cannot be awaited: it was freed"), refused.getMessage());
            assertTrue(lock.isHeldByCurrentThread(), "a refused await leaves the lock held");
        } finally {
            lock.unlock();
        }
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> shm.free(made));
        assertTrue(again.getMessage().contains("freed already"), again.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lock.condition(id));
        assertEquals(before, shm.freeBytes(), "a refused free changed the region");
    }

    /** Many conditions made and freed in turn fit in a region with room for a few. */
    @Test
    void conditionsMadeAndFreedInTurnNeverFillTheRegion() {
        for (int i = 0; i < 10_000; i++) {
            SharedCondition made = lock.newCondition();
            lock.lock();
            try {
                made.signal();
            } finally {
                lock.unlock();
            }
            shm.free(made);
        }
    }

    /** A condition of a freed lock is still freed (nobody could signal it), without the lock. */
    @Test
    void aConditionOfAFreedLockCanStillBeFreed() {
        long before = shm.freeBytes();
        SharedLock separate = shm.newLock();
        SharedCondition made = separate.newCondition();
        shm.free(separate);
        shm.free(made);
        assertEquals(before, shm.freeBytes());
    }

    /** A condition of one region is refused by another's free, naming what is wrong. */
    @Test
    void aConditionOfAnotherRegionIsRefused() {
        try (SharedMemory other = SharedMemory.create(1 << 16)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.free(condition));
            assertTrue(e.getMessage().contains("condition " + condition.id()) && e.getMessage().contains("lives in"),
                    e.getMessage());
        }
        lock.lock();
        try {
            condition.signal(); // untouched by the refused free
        } finally {
            lock.unlock();
        }
    }

    /** Another thread closes the region while one waits: the wait ends saying the region is closed. */
    @Test
    void closingTheRegionEndsAnAwaitWithIsClosed() throws Exception {
        CompletableFuture<Boolean> outcome = onThread(() -> {
            lock.lock();
            entered.set(true);
            condition.await();
            return true;
        });
        awaitWaitingOn(outcome);
        shm.close();
        Throwable e = failureOf(outcome);
        assertTrue(e instanceof IllegalStateException && e.getMessage().contains("is closed"), String.valueOf(e));
    }

    /**
     * A condition is named by the offset of its cell; an offset of another lock's cell (a lock in
     * use, whose {@code wakeups} word is its own futex word) or of another lock's condition is no
     * condition of this lock and is refused, rather than used as a sequence word.
     */
    @Test
    void onlyThisLocksConditionsAreFoundById() {
        SharedLock other = shm.newLock();
        SharedCondition othersCondition = other.newCondition();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lock.condition(shm.offsetOf(lock)));
        assertTrue(e.getMessage().contains("no condition"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lock.condition(shm.offsetOf(other)));
        assertTrue(e.getMessage().contains("no condition"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lock.condition(othersCondition.id()));
        assertTrue(e.getMessage().contains("another lock"), e.getMessage());
        assertEquals(othersCondition.id(), other.condition(othersCondition.id()).id());
    }

    @Test
    void twoConditionsOfOneLockAreIndependent() throws Exception {
        SharedCondition second = lock.newCondition();
        assertTrue(second.id() != condition.id());
        CompletableFuture<Boolean> outcome = onThread(() -> {
            lock.lock();
            entered.set(true);
            try {
                return second.await(300, TimeUnit.MILLISECONDS);
            } finally {
                lock.unlock();
            }
        });
        awaitWaitingOn(outcome);
        long start = System.nanoTime();
        while (!outcome.isDone() && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(200)) {
            try (var _ = lock.acquire()) {
                condition.signalAll();
            }
            Thread.sleep(2);
        }
        assertFalse(outcome.get(10, TimeUnit.SECONDS), "the other condition's signals woke this one's waiter");
    }

    /** The sequence word wraps from the largest int to the smallest: a signal then still wakes the waiter. */
    @Test
    void aSignalWakesAWaiterWhenTheSequenceWordWraps() throws Exception {
        for (int forged : new int[] {Integer.MAX_VALUE, -1, Integer.MIN_VALUE}) {
            shm.segment().set(java.lang.foreign.ValueLayout.JAVA_INT, condition.id() + 16, forged);
            AtomicBoolean ready = new AtomicBoolean();
            CompletableFuture<Boolean> outcome = onThread(() -> {
                lock.lock();
                entered.set(true);
                try {
                    while (!ready.get()) {
                        condition.await();
                    }
                    return true;
                } finally {
                    lock.unlock();
                }
            });
            awaitWaitingOn(outcome);
            try (var _ = lock.acquire()) {
                ready.set(true);
                condition.signal();
            }
            assertTrue(outcome.get(10, TimeUnit.SECONDS));
            assertEquals(forged + 1, shm.segment().get(java.lang.foreign.ValueLayout.JAVA_INT, condition.id() + 16));
        }
    }

    /**
     * The sequence word is changed under a waiter by something that is no signal (a corrupt
     * writer): the waiter only wakes spuriously, and a timed wait still ends by its deadline.
     */
    @Test
    void aForgedSequenceWordOnlyWakesWaitersSpuriously() throws Exception {
        CompletableFuture<Integer> outcome = onThread(() -> {
            lock.lock();
            entered.set(true);
            try {
                int wakeUps = 0;
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                for (long left = deadline - System.nanoTime(); left > 0; left = condition.awaitNanos(left)) {
                    wakeUps++;
                }
                return wakeUps;
            } finally {
                lock.unlock();
            }
        });
        awaitWaitingOn(outcome);
        java.util.Random random = new java.util.Random(7);
        while (!outcome.isDone()) {
            shm.segment().set(java.lang.foreign.ValueLayout.JAVA_INT, condition.id() + 16, random.nextInt());
            Thread.sleep(1);
        }
        assertTrue(outcome.get(10, TimeUnit.SECONDS) >= 1);
        assertFalse(lock.isLocked());
    }

    /**
     * The same condition reached through a second mapping of the region (as another process
     * attaches it): found by id through the attached object's lock, its signal wakes a waiter of
     * the first mapping, and the first mapping's lock refuses the condition of another lock.
     */
    @Test
    void aConditionFoundThroughASecondMappingWakesTheFirstMappingsWaiter() throws Exception {
        SharedLongArray words = shm.array(TypeCode.LONG, 1);
        SharedLock arrayLock = Structs.lock(words);
        SharedCondition arrayCondition = arrayLock.newCondition();
        try (SharedMemory second = SharedMemory.open(shm.path())) {
            SharedLongArray attached = second.attach(Structs.handle(words), SharedLongArray.class);
            SharedLock secondLock = Structs.lock(attached);
            SharedCondition found = secondLock.condition(arrayCondition.id());
            assertEquals(arrayCondition.id(), found.id());
            assertThrows(IllegalArgumentException.class, () -> secondLock.condition(condition.id()));
            CompletableFuture<Long> outcome = onThread(() -> {
                arrayLock.lock();
                try {
                    entered.set(true);
                    while (words.get(0) == 0) {
                        arrayCondition.await();
                    }
                    return words.get(0);
                } finally {
                    arrayLock.unlock();
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((!entered.get() || arrayLock.isLocked()) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            try (var _ = secondLock.acquire()) {
                attached.set(0, 7);
                found.signal();
            }
            assertEquals(7, outcome.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * More virtual threads than carriers await one condition: they park rather than pin their
     * carriers in a futex wait, so the signaller (and each waiter's reacquisition) still runs.
     */
    @Test
    void manyVirtualThreadsAwaitAndAllWake() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
        int count = 4 * Runtime.getRuntime().availableProcessors() + 8;
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                lock.lock();
                try {
                    waiting.incrementAndGet();
                    while (!ready.get()) {
                        condition.awaitUninterruptibly();
                    }
                } finally {
                    lock.unlock();
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (waiting.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(count, waiting.get(), "every virtual thread took the lock and awaits");
        try (var _ = lock.acquire()) {
            ready.set(true);
            condition.signalAll();
        }
        for (Thread thread : threads) {
            assertTrue(thread.join(java.time.Duration.ofSeconds(20)), "a virtual waiter never woke");
        }
        assertFalse(lock.isLocked());
    }

    /** An interrupt during a timed wait inside two holds: InterruptedException, flag cleared, both holds back. */
    @Test
    void anInterruptDuringATimedAwaitRestoresEveryHold() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().daemon().start(() -> {
            lock.lock();
            lock.lock();
            try {
                entered.set(true);
                condition.awaitNanos(TimeUnit.MINUTES.toNanos(1));
                outcome.complete("no interrupt seen");
            } catch (InterruptedException e) {
                outcome.complete(lock.holdCount() + " holds, flag " + Thread.currentThread().isInterrupted());
            } finally {
                lock.unlock();
                lock.unlock();
            }
        });
        awaitWaitingOn(outcome);
        waiter.interrupt();
        assertEquals("2 holds, flag false", outcome.get(10, TimeUnit.SECONDS));
        waiter.join();
        assertFalse(lock.isLocked());
    }

    @Test
    void theInspectorNamesAConditionsCellAndItsLock() {
        String expected = "condition of the lock at offset " + shm.offsetOf(lock);
        assertTrue(RegionInspector.of(shm).locks().stream()
                .anyMatch(state -> state.offset() == condition.id() && state.usedBy().equals(expected)),
                RegionInspector.of(shm).locks().toString());
        assertTrue(RegionInspector.of(shm).locks().stream()
                .anyMatch(state -> state.offset() == shm.offsetOf(lock) && state.usedBy().startsWith("shared lock")));
    }

    /** Making or finding a condition after close says the region is closed, as every other use does. */
    @Test
    void makingOrFindingAConditionAfterCloseSaysTheRegionIsClosed() {
        long id = condition.id();
        shm.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::newCondition);
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> lock.condition(id));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        e = assertThrows(IllegalStateException.class, condition::signal);
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }
}
