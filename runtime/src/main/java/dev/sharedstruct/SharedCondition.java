package dev.sharedstruct;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.invoke.VarHandle;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import dev.sharedstruct.internal.lock.ThreadToken;
import dev.sharedstruct.internal.lock.Waiting;

/**
 * A condition of a {@link SharedLock} that works between threads of different processes: a
 * thread of one JVM awaits it, a thread of another signals it. Made by
 * {@link SharedLock#newCondition()}; another process finds the same condition with
 * {@link SharedLock#condition(long)} and its {@link #id()}.
 *
 * <p>Its state is one 32-bit sequence word in a lock cell of its own (its {@code wakeups}
 * word; the cell is never locked): {@code signal} and {@code signalAll} add 1 to it and wake
 * one or all sleepers on it (a futex when native access is enabled). A waiter reads the word
 * while it still holds the lock, releases the lock, and sleeps while the word is unchanged, so
 * a signal given under the lock after the release is never missed. Sleeps are bounded
 * (20 ms), so a waiter whose wake-up went to a thread that was killed, or that waits for
 * another predicate, still looks again. As with any {@code Condition}, wake-ups may be
 * spurious: await in a loop that checks the predicate. Waiters keep no count in shared memory,
 * so a waiter killed while it waits leaves nothing behind.
 *
 * <p>A condition belongs to one lock: its cell records that lock's offset, and
 * {@link SharedLock#condition(long)} refuses an id that names another lock's condition or a
 * lock cell that is no condition. Its cell is kept until {@link SharedMemory#free} frees the
 * condition (freeing the lock's object does not). A wait ends with an
 * {@link IllegalStateException} when the lock or the condition is freed meanwhile, in any process
 * ("was freed": nobody could signal it any more), or when this process closes the region ("is
 * closed"); a signal of a freed condition throws the same. A
 * waiter that takes the lock back from a holder that died holding it returns normally; like
 * every {@link SharedLock#lock()}, {@link SharedLock#recoveriesSinceLastLook()} tells it so.
 */
public final class SharedCondition implements Condition {
    private static final VarHandle SEQUENCE = SharedLock.CELL.varHandle(groupElement("wakeups"));
    private static final long SEQUENCE_OFFSET = SharedLock.CELL.byteOffset(groupElement("wakeups"));
    /** The longest single sleep: bounds the delay after a wake-up that went elsewhere. */
    private static final long MAX_SLEEP_NANOS = 20_000_000;

    /**
     * The {@code owner_start} word of a condition's cell, which no claim ever writes (the cell is
     * never locked): the tag in its top 16 bits marks the cell as a condition, the low 48 bits
     * are the offset of the lock's cell. A process start time is positive, and the word a close
     * leaves in a lock cell it disowns has its top 16 bits set, so neither reads as the tag.
     */
    private static final VarHandle OWNER_START = SharedLock.CELL.varHandle(groupElement("owner_start"));
    private static final long TAG = 0xC0DEL << 48;
    private static final long TAG_MASK = 0xFFFFL << 48;

    /**
     * The offset of the lock whose condition the lock cell {@code cell} is, or -1 when it is no
     * condition's cell; for the inspector's list of locks.
     */
    static long lockOffsetOf(java.lang.foreign.MemorySegment cell) {
        long mark = (long) OWNER_START.getVolatile(cell, 0L);
        return (mark & TAG_MASK) == TAG ? mark & ~TAG_MASK : -1;
    }

    private final SharedLock lock;
    private final SharedLock cell;

    private SharedCondition(SharedLock lock, SharedLock cell) {
        this.lock = lock;
        this.cell = cell;
    }

    /** A condition of {@code lock} in {@code cell}, a new lock cell of the lock's region, which this marks as the lock's condition. */
    static SharedCondition made(SharedLock lock, SharedLock cell) {
        OWNER_START.setVolatile(cell.cell(), 0L, TAG | lock.memory().offsetOf(lock));
        return new SharedCondition(lock, cell);
    }

    /**
     * The condition of {@code lock} in {@code cell}, found by its id: refused unless the cell is
     * marked as a condition of this lock. Any other lock cell's {@code wakeups} word is a lock's
     * futex word, which a signal must not count up, and a condition of another lock is signalled
     * under that lock, so a waiter under this one would miss wake-ups.
     */
    static SharedCondition found(SharedLock lock, SharedLock cell, long id) {
        long mark = (long) OWNER_START.getVolatile(cell.cell(), 0L);
        long lockOffset = lock.memory().offsetOf(lock);
        if (mark != (TAG | lockOffset)) {
            String where = "offset " + id + " of " + lock.memory().path();
            throw new IllegalArgumentException((mark & TAG_MASK) == TAG
                    ? where + " holds a condition of another lock (the lock at offset " + (mark & ~TAG_MASK)
                            + "), not of the lock at offset " + lockOffset
                    : where + " holds a lock cell that is no condition (made by newCondition) of any lock");
        }
        return new SharedCondition(lock, cell);
    }

    /** The lock cell that holds this condition's sequence word. */
    SharedLock cell() {
        return cell;
    }

    /** "condition 1234 of the lock at offset 5678 of /dev/shm/...", for messages. */
    String describe() {
        return "condition " + id() + " of " + lock.where();
    }

    /**
     * Refuses a condition whose cell was freed, in any process: its memory may be another
     * object's now. {@code what} follows the condition's description in the message.
     */
    void requireLive(String what) {
        if (cell.wasFreed()) {
            throw new FreedException(describe() + " " + what, null);
        }
    }

    /** "condition ... was freed": one type, so that the wait's translation of FFM's exceptions passes it on as it is. */
    private static final class FreedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        FreedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Counts the sequence word up and wakes every waiter, as the condition is freed. */
    void wakeAllForFree() {
        SEQUENCE.getAndAdd(cell.cell(), 0L, 1);
        Waiting.wakeAll(cell.cell(), SEQUENCE_OFFSET);
    }

    /**
     * The lock this condition belongs to.
     *
     * @return the lock
     */
    public SharedLock lock() {
        return lock;
    }

    /**
     * What another process passes to {@link SharedLock#condition(long)} to find this condition: its cell's offset.
     *
     * @return the condition's id
     */
    public long id() {
        return lock.memory().offsetOf(cell);
    }

    @Override
    public void await() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!awaitSignal(Long.MAX_VALUE, true)) {
            throw new InterruptedException();
        }
    }

    @Override
    public void awaitUninterruptibly() {
        awaitSignal(Long.MAX_VALUE, false);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long start = System.nanoTime();
        long deadline = start + Math.max(0, nanosTimeout);
        if (!awaitSignal(nanosTimeout <= 0 ? start : deadline, true)) {
            throw new InterruptedException();
        }
        return deadline - System.nanoTime();
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return awaitNanos(unit.toNanos(time)) > 0;
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        long millis = deadline.getTime();
        long now = System.currentTimeMillis();
        long left;
        try {
            left = Math.subtractExact(millis, now);
        } catch (ArithmeticException overflow) {
            // A date near Long.MIN_VALUE is long past; one near Long.MAX_VALUE is as good as never.
            left = millis < now ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return awaitNanos(TimeUnit.MILLISECONDS.toNanos(left)) > 0;
    }

    /**
     * Wakes one thread waiting on this condition, in any process.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    public void signal() {
        requireHeld("signal");
        requireLive("cannot be signalled: it was freed");
        SEQUENCE.getAndAdd(cell.cell(), 0L, 1);
        Waiting.wake(cell.cell(), SEQUENCE_OFFSET);
    }

    /**
     * Wakes every thread waiting on this condition, in any process.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    public void signalAll() {
        requireHeld("signalAll");
        requireLive("cannot be signalled: it was freed");
        SEQUENCE.getAndAdd(cell.cell(), 0L, 1);
        Waiting.wakeAll(cell.cell(), SEQUENCE_OFFSET);
    }

    private void requireHeld(String what) {
        // First: a freed lock's object reads its cell's owner word, which a lock made in that
        // memory since may hold for this very thread (seen through another mapping of the region).
        lock.requireNotFreed();
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(what + " of a condition of " + lock.where() + " by "
                    + ThreadToken.describe(ThreadToken.current()) + ", which does not hold the lock");
        }
    }

    /**
     * Releases the lock fully, sleeps until a signal, the deadline or (when asked) an interrupt,
     * and takes the lock back with the same hold count. Returns false only on an interrupt it
     * was asked to heed; an ignored interrupt is kept as the thread's flag.
     */
    private boolean awaitSignal(long deadline, boolean interruptible) {
        try {
            return waitForSignal(deadline, interruptible);
        } catch (FreedException e) {
            throw e;
        } catch (IllegalStateException e) {
            IllegalStateException reported = lock.closedOr(e);
            if (reported == e && freedUnderTheWait()) {
                // In the process that freed the condition, its cell's scope closed under the wait.
                throw new FreedException(describe() + " was freed while this thread waited", e);
            }
            throw reported;
        }
    }

    /** Whether the condition's cell was freed; false when that cannot be read any more (the region closed). */
    private boolean freedUnderTheWait() {
        try {
            return cell.wasFreed();
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    private boolean waitForSignal(long deadline, boolean interruptible) {
        requireHeld("await");
        requireLive("cannot be awaited: it was freed");
        int seen = (int) SEQUENCE.getVolatile(cell.cell(), 0L);
        long holds = lock.releaseFully();
        boolean interrupted = false;
        boolean heeded = false;
        try {
            for (int round = 0; (int) SEQUENCE.getVolatile(cell.cell(), 0L) == seen; round++) {
                if (Thread.currentThread().isInterrupted()) {
                    if (interruptible) {
                        heeded = Thread.interrupted();
                        break;
                    }
                    interrupted |= Thread.interrupted();
                }
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                // A lock freed meanwhile (in any process) is never signalled again: refuse ("was
                // freed") rather than sleep forever; the reacquisition below refuses the same way.
                lock.requireNotFreed();
                requireLive("was freed while this thread waited");
                Waiting.await(cell.cell(), SEQUENCE_OFFSET, seen, Math.min(left, MAX_SLEEP_NANOS), round);
            }
        } finally {
            lock.reacquire(holds);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        // A free wakes the waiters, which take the lock back after it: under the lock, this tells.
        requireLive("was freed while this thread waited");
        return !heeded;
    }

    @Override
    public String toString() {
        return "SharedCondition[id " + id() + " of " + lock + "]";
    }
}
