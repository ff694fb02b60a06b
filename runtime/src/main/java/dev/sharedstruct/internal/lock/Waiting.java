package dev.sharedstruct.internal.lock;

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
 * <p>With native access enabled ({@code --enable-native-access=ALL-UNNAMED}) waiters sleep on a
 * Linux futex and a release in any process wakes one at once. Without it, threads of this process
 * are parked and unparked directly, and a waiter in another process is not reachable that way:
 * its sleeps double from 20 µs up to the caller's bound (1 ms for a lock), which keeps it cheap
 * on CPU while it waits and bounds the delay after a release.
 *
 * <p>Virtual threads always park, futexes or not: a futex wait is a system call that pins the
 * virtual thread to its carrier, and with as many waiters as carriers the holder could never be
 * mounted again to release the lock. A wake-up therefore unparks this process's parked threads
 * with futexes too; a release in another process reaches them at their next bounded sleep.
 */
public final class Waiting {
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final long FIRST_SLEEP_NANOS = 20_000;
    private static final int MAX_DOUBLINGS = 7;

    /** Parked threads of this process by the address of the word they wait on. */
    private static final ConcurrentHashMap<Long, Queue<Thread>> PARKED = new ConcurrentHashMap<>();

    private Waiting() {
    }

    /** Whether waiters sleep on futexes (native access) rather than with bounded back-off. */
    public static boolean usesFutex() {
        return Futex.available();
    }

    /**
     * Sleeps while the int at {@code offset} still equals {@code seen}, at most {@code nanosLeft};
     * may return early for no reason.
     */
    public static void await(MemorySegment segment, long offset, int seen, long nanosLeft, int round) {
        Thread self = Thread.currentThread();
        if (Futex.available() && !self.isVirtual()) {
            Futex.await(segment.address() + offset, seen, nanosLeft);
            return;
        }
        Queue<Thread> parked = PARKED.computeIfAbsent(segment.address() + offset, address -> new ConcurrentLinkedQueue<>());
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

    /** Wakes a thread sleeping on the int at {@code offset}: any process's with futexes, this process's otherwise. */
    public static void wake(MemorySegment segment, long offset) {
        wake(segment, offset, 1);
    }

    /** Wakes every thread sleeping on the int at {@code offset}: any process's with futexes, this process's otherwise. */
    public static void wakeAll(MemorySegment segment, long offset) {
        wake(segment, offset, Integer.MAX_VALUE);
    }

    private static void wake(MemorySegment segment, long offset, int count) {
        if (Futex.available()) {
            Futex.wake(segment.address() + offset, count);
            if (PARKED.isEmpty()) {
                return; // no virtual thread ever parked here: spare the release the lookup
            }
        }
        Queue<Thread> parked = PARKED.get(segment.address() + offset);
        if (parked != null) {
            for (Thread thread : parked) {
                LockSupport.unpark(thread);
            }
        }
    }
}
