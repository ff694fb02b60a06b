package dev.sharedstruct.internal.lock;

import dev.sharedstruct.SharedLock;

/**
 * Who holds a {@link SharedLock}: the owner word of a lock cell stores this process's id in the
 * high 32 bits and the holding thread's id in the low 31 bits (bit 31 is a waiter's hand-off request), so one compare-and-set both takes
 * the lock and records its owner, and a waiter in another process can tell whose it is.
 */
public final class ThreadToken {
    public static final long PID = ProcessHandle.current().pid();
    /** This process's start time, recorded next to the owner so a reused process id is noticed. */
    public static final long START = ProcessLiveness.currentStartTime();
    private static final long PID_BITS = PID << 32;
    /**
     * Bit 31 of an owner word: a waiter that waited too long asks the owner to hand the lock to
     * a long waiter instead of freeing it. Thread parts of tokens therefore use 31 bits.
     */
    public static final long HANDOFF = 1L << 31;
    /** The owner word of a lock that was released for a long waiter: not free for newcomers. */
    public static final long RESERVED = HANDOFF;
    private static final long THREAD_BITS = HANDOFF - 1;
    /**
     * Bit 63 of an owner word: the lock is free, and the other bits are the generation of the
     * block whose payload the cell starts. No token has it (process ids stay below 2^22).
     */
    public static final long FREE_TAG = Long.MIN_VALUE;

    private ThreadToken() {
    }

    /**
     * The owner word of a free lock cell: {@link #FREE_TAG} with the generation of the block the
     * cell starts, or 0 for a cell in no block (the region header's), {@code generation} 0. A claim
     * compares-and-sets from it, so a lock can only be claimed in the block generation it was
     * made for: freed memory (free-list links) and memory another allocation reused never hold it
     * (docs/LOCK.md, "owner").
     *
     * @param generation the generation of the cell's block, or 0 for a cell in no block
     * @return the free owner word
     */
    public static long free(long generation) {
        return generation == 0 ? 0L : FREE_TAG | generation;
    }

    /**
     * The calling thread's token; never 0 and never a free word (see {@link #free}). Thread ids are unique for the
     * life of a JVM; only the low 32 bits are kept, so two threads of one process could share a
     * token after two billion threads have been started.
     */
    public static long current() {
        return of(Thread.currentThread());
    }

    /** The token of {@code thread}, which must be a thread of this process. */
    public static long of(Thread thread) {
        return PID_BITS | (thread.threadId() & THREAD_BITS);
    }

    /** Whether {@code token} could have been written by a live thread: a pid in 1..maxPid and a non-zero thread part. */
    public static boolean isValid(long token, long maxPid) {
        long pid = pidOf(token);
        return pid > 0 && pid <= maxPid && threadOf(token) != 0;
    }

    public static long pidOf(long token) {
        return token >>> 32;
    }

    public static long threadOf(long token) {
        return token & THREAD_BITS;
    }

    /** The owner's token without a pending hand-off request. */
    public static long holderOf(long word) {
        return word & ~HANDOFF;
    }

    public static String describe(long token) {
        if (token == 0) {
            return "nobody";
        }
        if (token == RESERVED) {
            return "nobody (reserved for a long waiter)";
        }
        return "process " + pidOf(token) + " thread " + threadOf(token);
    }
}
