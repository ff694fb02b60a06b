package dev.sharedstruct;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A reentrant lock whose state lives in shared memory, safe between threads of any processes
 * that map its region: the counterpart of Python's {@code multiprocessing.RLock} behind
 * {@code Value(...).get_lock()}, without its flaw of staying taken when its holder crashes.
 *
 * <p>The state is a 32-byte cell ({@link #CELL}):
 * <pre>
 * struct shared_lock {
 *     int64_t owner;        // 0 when free, else process id &lt;&lt; 32 | thread id
 *     int32_t extra_holds;  // reentrant acquisitions beyond the first, owner-only
 *     int32_t waiters;      // threads blocked on the lock, in any process
 *     int32_t wakeups;      // the futex word: odd while a wake-up is on its way to a sleeper
 *     int32_t recoveries;   // how many times a dead owner's lock was taken over
 *     int64_t owner_start;  // owner process start time, tells a reused process id apart
 * };
 * </pre>
 * An uncontended {@link #lock()} is one compare-and-set on {@code owner}; an uncontended
 * {@link #unlock()} is one store, followed by a wake-up only when {@code waiters} is non-zero.
 * A contended waiter spins briefly, then sleeps: on a futex when native access is enabled (a
 * release wakes it at once), otherwise with back-off up to about 2.5 ms.
 *
 * <p>While it waits, a thread checks every 20 ms whether the owner's process still exists. If
 * it died (killed, crashed, halted), the waiter takes the lock over and is told so:
 * {@link Held#previousOwnerDied()} is true and {@link #recoveries()} goes up; the data the lock
 * guards may be half-updated, and the new holder should repair it. A live owner is never robbed,
 * however long it holds the lock. (A process id reused by a newer process is told apart by the
 * start time the owner records right after acquiring; a reuse is assumed only when the recorded
 * time disagrees for a whole second.)
 *
 * <p>Use it with try-with-resources: {@code try (var _ = lock.acquire()) { ... }}. Conditions
 * are not supported: {@link #newCondition()} throws.
 */
public final class SharedLock implements Lock {

    /** The layout of a lock cell in shared memory. */
    public static final StructLayout CELL = MemoryLayout.structLayout(
            JAVA_LONG.withName("owner"),
            JAVA_INT.withName("extra_holds"),
            JAVA_INT.withName("waiters"),
            JAVA_INT.withName("wakeups"),
            JAVA_INT.withName("recoveries"),
            JAVA_LONG.withName("owner_start"));

    private static final VarHandle OWNER = CELL.varHandle(groupElement("owner"));
    private static final VarHandle EXTRA_HOLDS = CELL.varHandle(groupElement("extra_holds"));
    private static final VarHandle WAITERS = CELL.varHandle(groupElement("waiters"));
    private static final long WAKEUPS_OFFSET = CELL.byteOffset(groupElement("wakeups"));
    private static final VarHandle WAKEUPS = CELL.varHandle(groupElement("wakeups"));
    private static final VarHandle RECOVERIES = CELL.varHandle(groupElement("recoveries"));
    private static final VarHandle OWNER_START = CELL.varHandle(groupElement("owner_start"));

    /**
     * Looks at the lock before a waiter goes to sleep. Holds are usually short, and a sleep costs
     * a system call on each side, so a waiter spins for some microseconds first.
     */
    private static final int SPINS = 2_000;
    /** The longest pause between two looks while spinning, in spin-wait hints. */
    private static final int MAX_PAUSE = 64;
    /** How often a sleeping waiter looks at the owner's process. */
    private static final long OWNER_CHECK_NANOS = 20_000_000;
    /** How long a recorded start time must disagree with the process before it counts as another process. */
    private static final long REUSED_PID_GRACE_NANOS = 1_000_000_000;

    private static final int FAILED = 0;
    private static final int ACQUIRED = 1;
    private static final int RECOVERED = 2;

    private final SharedMemory memory;
    private final MemorySegment cell;

    SharedLock(SharedMemory memory, MemorySegment cell) {
        this.memory = memory;
        this.cell = cell;
    }

    SharedMemory memory() {
        return memory;
    }

    MemorySegment cell() {
        return cell;
    }

    /**
     * Acquires the lock and returns a handle whose {@code close()} releases it, and which tells
     * whether the lock was taken over from a dead owner.
     */
    public Held acquire() {
        long me = ThreadToken.current();
        long witness = (long) OWNER.compareAndExchange(cell, 0L, 0L, me);
        if (witness == 0L) {
            claimed();
            return new Held(false);
        }
        if (reenter(me, witness)) {
            return new Held(false);
        }
        return new Held(acquireSlowly(me, false, Long.MAX_VALUE) == RECOVERED);
    }

    @Override
    public void lock() {
        long me = ThreadToken.current();
        // A plain look first: accessors of a struct whose lock is already held re-enter without a CAS.
        long owner = (long) OWNER.getOpaque(cell, 0L);
        if (owner == me) {
            reenter(me, owner);
        } else if (owner == 0L && OWNER.compareAndSet(cell, 0L, 0L, me)) {
            claimed();
        } else {
            acquireSlowly(me, false, Long.MAX_VALUE);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long me = ThreadToken.current();
        long witness = (long) OWNER.compareAndExchange(cell, 0L, 0L, me);
        if (witness == 0L) {
            claimed();
        } else if (!reenter(me, witness) && acquireSlowly(me, true, Long.MAX_VALUE) == FAILED) {
            throw new InterruptedException();
        }
    }

    @Override
    public boolean tryLock() {
        long me = ThreadToken.current();
        long witness = (long) OWNER.compareAndExchange(cell, 0L, 0L, me);
        if (witness == 0L) {
            claimed();
            return true;
        }
        return reenter(me, witness);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryLock()) {
            return true;
        }
        long nanos = unit.toNanos(time);
        if (nanos <= 0) {
            return false;
        }
        boolean acquired = acquireSlowly(ThreadToken.current(), true, System.nanoTime() + nanos) != FAILED;
        if (!acquired && Thread.interrupted()) {
            throw new InterruptedException();
        }
        return acquired;
    }

    @Override
    public void unlock() {
        long me = ThreadToken.current();
        long owner = (long) OWNER.getVolatile(cell, 0L);
        if (owner != me) {
            throw new IllegalMonitorStateException(
                    "unlock by " + ThreadToken.describe(me) + ", but the lock is held by " + ThreadToken.describe(owner));
        }
        int extra = (int) EXTRA_HOLDS.get(cell, 0L);
        if (extra > 0) {
            EXTRA_HOLDS.set(cell, 0L, extra - 1);
            return;
        }
        // A volatile store orders the release before the read of waiters; a waiter registers
        // before its last look at owner, so one of the two always sees the other.
        OWNER.setVolatile(cell, 0L, 0L);
        if ((int) WAITERS.getVolatile(cell, 0L) > 0) {
            wakeOne();
        }
    }

    /**
     * Wakes one sleeper, unless a wake-up is already on its way: a busy lock released over and
     * over then costs one system call per wake-up, not one per release. Making the word odd also
     * keeps a waiter that is about to sleep from sleeping through this release.
     */
    private void wakeOne() {
        int word = (int) WAKEUPS.getVolatile(cell, 0L);
        if ((word & 1) == 0 && WAKEUPS.compareAndSet(cell, 0L, word, word + 1)) {
            Waiting.wake(cell, WAKEUPS_OFFSET);
        }
    }

    /** Whether the calling thread holds this lock. */
    public boolean isHeldByCurrentThread() {
        return (long) OWNER.getVolatile(cell, 0L) == ThreadToken.current();
    }

    /** Whether any thread of any process holds this lock at this moment. */
    public boolean isLocked() {
        return (long) OWNER.getVolatile(cell, 0L) != 0L;
    }

    /** How many times the calling thread holds this lock; 0 when it does not. */
    public int holdCount() {
        return isHeldByCurrentThread() ? (int) EXTRA_HOLDS.get(cell, 0L) + 1 : 0;
    }

    /** How many threads, in all processes together, are waiting for this lock (a hint for monitoring). */
    public int waiters() {
        return (int) WAITERS.getVolatile(cell, 0L);
    }

    /** How many times, in all processes together, this lock was taken over from an owner that died. */
    public int recoveries() {
        return (int) RECOVERIES.getVolatile(cell, 0L);
    }

    /** The process id of the current owner, or 0 when the lock is free. */
    public long ownerPid() {
        return ThreadToken.pidOf((long) OWNER.getVolatile(cell, 0L));
    }

    /**
     * Not supported: a condition would need a wait queue in shared memory. Use
     * {@code tryLock(time, unit)} in a loop, or a {@code SharedLock} per event.
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException(
                "SharedLock has no conditions: a waiting set cannot live in shared memory yet; poll under the lock with tryLock(time, unit) instead");
    }

    /** Two {@code SharedLock} objects are equal when they use the same cell of the same region. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SharedLock that && that.memory == memory && that.cell.address() == cell.address();
    }

    @Override
    public int hashCode() {
        return Long.hashCode(cell.address());
    }

    @Override
    public String toString() {
        long owner = (long) OWNER.getVolatile(cell, 0L);
        return "SharedLock[" + (owner == 0L ? "unlocked" : "held by " + ThreadToken.describe(owner)) + "]";
    }

    /** Records this process's start time beside the owner; a plain store, and only when it changes. */
    private void claimed() {
        // A free lock has no extra holds; a stale or corrupt count would keep it held after unlock.
        if ((int) EXTRA_HOLDS.get(cell, 0L) != 0) {
            EXTRA_HOLDS.set(cell, 0L, 0);
        }
        if ((long) OWNER_START.get(cell, 0L) != ThreadToken.START) {
            OWNER_START.set(cell, 0L, ThreadToken.START);
        }
    }

    private boolean reenter(long me, long owner) {
        if (owner != me) {
            return false;
        }
        int extra = (int) EXTRA_HOLDS.get(cell, 0L);
        if (extra == Integer.MAX_VALUE) {
            throw new Error("maximum lock count exceeded");
        }
        EXTRA_HOLDS.set(cell, 0L, extra + 1);
        return true;
    }

    private boolean tryTakeFree(long me) {
        if ((long) OWNER.getVolatile(cell, 0L) == 0L && OWNER.compareAndSet(cell, 0L, 0L, me)) {
            claimed();
            return true;
        }
        return false;
    }

    /**
     * Spins, then sleeps on the wake-up word, looking now and then at whether the owner died.
     * Returns ACQUIRED, RECOVERED (taken over from a dead owner), or FAILED on interrupt (when
     * asked) or at the deadline.
     */
    private int acquireSlowly(long me, boolean interruptible, long deadline) {
        if ((long) OWNER.getVolatile(cell, 0L) == me) {
            reenter(me, me);
            return ACQUIRED;
        }
        // Back off between looks: every look pulls the cell's cache line away from the holder.
        for (int i = 0, pause = 1; i < SPINS; i += pause, pause = Math.min(pause * 2, MAX_PAUSE)) {
            if (tryTakeFree(me)) {
                return ACQUIRED;
            }
            for (int p = 0; p < pause; p++) {
                Thread.onSpinWait();
            }
        }
        WAITERS.getAndAdd(cell, 0L, 1);
        try {
            OwnerWatch watch = new OwnerWatch();
            for (int round = 0; ; round++) {
                int seen = (int) WAKEUPS.getVolatile(cell, 0L);
                if ((seen & 1) != 0 && WAKEUPS.compareAndSet(cell, 0L, seen, seen + 1)) {
                    // Took the pending wake-up: the next release may wake someone again.
                    seen++;
                }
                if (tryTakeFree(me)) {
                    return ACQUIRED;
                }
                if (interruptible && Thread.currentThread().isInterrupted()) {
                    return FAILED;
                }
                long now = System.nanoTime();
                if (deadline != Long.MAX_VALUE && now - deadline >= 0) {
                    return FAILED;
                }
                if (watch.ownerIsGone(now) && takeOver(watch.owner, me)) {
                    return RECOVERED;
                }
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now;
                Waiting.await(cell, WAKEUPS_OFFSET, seen, Math.min(left, OWNER_CHECK_NANOS), round);
            }
        } finally {
            WAITERS.getAndAdd(cell, 0L, -1);
        }
    }

    /** Takes the lock from {@code deadOwner}, unless someone else changed it in between. */
    private boolean takeOver(long deadOwner, long me) {
        if (!OWNER.compareAndSet(cell, 0L, deadOwner, me)) {
            return false;
        }
        EXTRA_HOLDS.set(cell, 0L, 0);
        OWNER_START.set(cell, 0L, ThreadToken.START);
        RECOVERIES.getAndAdd(cell, 0L, 1);
        return true;
    }

    /** What one waiter has seen of the owner's process, so that a reused process id is judged over time. */
    private final class OwnerWatch {
        private long nextCheck = System.nanoTime() + OWNER_CHECK_NANOS;
        private long owner;
        private long otherSince;
        private long otherOwner;
        private long otherStart;

        /** Whether the current owner's process is gone; looks at most every {@link #OWNER_CHECK_NANOS}. */
        boolean ownerIsGone(long now) {
            if (now - nextCheck < 0) {
                return false;
            }
            nextCheck = now + OWNER_CHECK_NANOS;
            owner = (long) OWNER.getVolatile(cell, 0L);
            long pid = ThreadToken.pidOf(owner);
            if (owner == 0 || pid == ThreadToken.PID) {
                // A thread of this process that died holding the lock cannot be told from a slow one.
                return false;
            }
            long recordedStart = (long) OWNER_START.getVolatile(cell, 0L);
            return switch (ProcessLiveness.of(pid, recordedStart)) {
                case DEAD -> true;
                case ALIVE -> {
                    otherOwner = 0;
                    yield false;
                }
                case OTHER_PROCESS -> {
                    if (owner != otherOwner || recordedStart != otherStart) {
                        otherOwner = owner;
                        otherStart = recordedStart;
                        otherSince = now;
                    }
                    yield now - otherSince >= REUSED_PID_GRACE_NANOS;
                }
            };
        }
    }

    /** One acquisition of the lock; closing it releases that acquisition. */
    public final class Held implements AutoCloseable {
        private final boolean previousOwnerDied;
        private boolean closed;

        private Held(boolean previousOwnerDied) {
            this.previousOwnerDied = previousOwnerDied;
        }

        /** The lock this handle holds. */
        public SharedLock lock() {
            return SharedLock.this;
        }

        /**
         * Whether this acquisition took the lock over from an owner whose process died while
         * holding it: what the lock guards may be half-updated and should be checked or repaired.
         */
        public boolean previousOwnerDied() {
            return previousOwnerDied;
        }

        /** Releases the acquisition; a second call does nothing. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                unlock();
            }
        }
    }
}
