package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * How a thread sleeps until a 32-bit word in shared memory changes, and how a releaser wakes it.
 *
 * <p>Threads of this process are parked and unparked directly. A waiter in another process is
 * not reachable that way, so every sleep is also bounded: the sleep doubles from 20 µs up to
 * about 2.5 ms, which keeps a cross-process waiter cheap on CPU while it waits.
 */
final class Waiting {
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final long FIRST_SLEEP_NANOS = 20_000;
    private static final int MAX_DOUBLINGS = 7;

    /** Parked threads of this process by the address of the word they wait on. */
    private static final ConcurrentHashMap<Long, Queue<Thread>> PARKED = new ConcurrentHashMap<>();

    private Waiting() {
    }

    /**
     * Sleeps while the int at {@code offset} still equals {@code seen}, at most {@code nanosLeft}
     * and at most the back-off for this {@code round}; may return early for no reason.
     */
    static void await(MemorySegment segment, long offset, int seen, long nanosLeft, int round) {
        Queue<Thread> parked = PARKED.computeIfAbsent(segment.address() + offset, address -> new ConcurrentLinkedQueue<>());
        Thread self = Thread.currentThread();
        parked.add(self);
        try {
            // Registered before this check: a wake-up after it finds this thread in the queue.
            if ((int) INT.getVolatile(segment, offset) == seen) {
                long backOff = FIRST_SLEEP_NANOS << Math.min(round, MAX_DOUBLINGS);
                LockSupport.parkNanos(Math.min(nanosLeft, backOff));
            }
        } finally {
            parked.remove(self);
        }
    }

    /** Wakes every thread of this process sleeping on the int at {@code offset}. */
    static void wakeAll(MemorySegment segment, long offset) {
        Queue<Thread> parked = PARKED.get(segment.address() + offset);
        if (parked != null) {
            for (Thread thread : parked) {
                LockSupport.unpark(thread);
            }
        }
    }
}
