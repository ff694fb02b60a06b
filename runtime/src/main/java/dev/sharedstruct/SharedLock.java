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
 * A reentrant lock whose state lives in shared memory, the counterpart of Python's
 * {@code multiprocessing.RLock} behind {@code Value(...).get_lock()}.
 *
 * <p>The state is a 32-byte cell ({@link #CELL}) in a {@link SharedMemory} region:
 * <pre>
 * struct shared_lock {
 *     int64_t owner;        // 0 when free, else process id &lt;&lt; 32 | thread id
 *     int32_t extra_holds;  // reentrant acquisitions beyond the first, owner-only
 *     int32_t waiters;      // threads blocked on the lock, in any process
 *     int32_t wakeups;      // bumped on each release that saw waiters: the word waiters sleep on
 *     int32_t recoveries;   // how many times a dead owner's lock was taken over
 *     int64_t owner_start;  // owner process start time, guards against reused process ids
 * };
 * </pre>
 * An uncontended {@link #lock()} is one compare-and-set on {@code owner}; an uncontended
 * {@link #unlock()} is one store, followed by a wake-up only when {@code waiters} is non-zero.
 * A contended waiter spins briefly, then sleeps until a release bumps {@code wakeups}.
 *
 * <p>Use it with try-with-resources: {@code try (var held = lock.acquire()) { ... }}.
 * Conditions are not supported: {@link #newCondition()} throws.
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
    static final long WAKEUPS_OFFSET = CELL.byteOffset(groupElement("wakeups"));
    private static final VarHandle WAKEUPS = CELL.varHandle(groupElement("wakeups"));

    /** Compare-and-set attempts before a waiter goes to sleep. */
    private static final int SPINS = 200;

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

    /** Acquires the lock and returns a handle whose {@code close()} releases it. */
    public Held acquire() {
        lock();
        return new Held();
    }

    @Override
    public void lock() {
        long me = ThreadToken.current();
        long witness = (long) OWNER.compareAndExchange(cell, 0L, 0L, me);
        if (witness != 0L && !reenter(me, witness)) {
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
        if (witness != 0L && !reenter(me, witness) && !acquireSlowly(me, true, Long.MAX_VALUE)) {
            throw new InterruptedException();
        }
    }

    @Override
    public boolean tryLock() {
        long me = ThreadToken.current();
        long witness = (long) OWNER.compareAndExchange(cell, 0L, 0L, me);
        return witness == 0L || reenter(me, witness);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long me = ThreadToken.current();
        long witness = (long) OWNER.compareAndExchange(cell, 0L, 0L, me);
        if (witness == 0L || reenter(me, witness)) {
            return true;
        }
        long nanos = unit.toNanos(time);
        if (nanos <= 0) {
            return false;
        }
        long deadline = System.nanoTime() + nanos;
        boolean acquired = acquireSlowly(me, true, deadline);
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
            WAKEUPS.getAndAdd(cell, 0L, 1);
            Waiting.wakeAll(cell, WAKEUPS_OFFSET);
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
        return (long) OWNER.getVolatile(cell, 0L) == 0L && OWNER.compareAndSet(cell, 0L, 0L, me);
    }

    /** Spins, then sleeps on the wake-up word; false on interrupt (when asked) or deadline. */
    private boolean acquireSlowly(long me, boolean interruptible, long deadline) {
        for (int i = 0; i < SPINS; i++) {
            if (tryTakeFree(me)) {
                return true;
            }
            Thread.onSpinWait();
        }
        WAITERS.getAndAdd(cell, 0L, 1);
        try {
            for (int round = 0; ; round++) {
                int seen = (int) WAKEUPS.getVolatile(cell, 0L);
                if (tryTakeFree(me)) {
                    return true;
                }
                if (interruptible && Thread.currentThread().isInterrupted()) {
                    return false;
                }
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                Waiting.await(cell, WAKEUPS_OFFSET, seen, left, round);
            }
        } finally {
            WAITERS.getAndAdd(cell, 0L, -1);
        }
    }

    /** One acquisition of the lock; closing it releases that acquisition. */
    public final class Held implements AutoCloseable {
        private boolean closed;

        private Held() {
        }

        /** The lock this handle holds. */
        public SharedLock lock() {
            return SharedLock.this;
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
