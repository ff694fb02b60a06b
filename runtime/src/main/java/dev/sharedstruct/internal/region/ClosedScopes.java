package dev.sharedstruct.internal.region;

/**
 * The interrupt that comes with FFM's "Already closed" when another thread closed the scope. A
 * shared arena's close (a free here closes its object's scope, {@code close()} the region's)
 * finds each thread that is inside an access of that scope and has HotSpot deliver it the
 * "Already closed" error as an asynchronous exception; HotSpot interrupts the thread to deliver
 * it (to wake it from a sleep), and nothing clears that flag again. The thread that touched an
 * object another thread freed would then carry an interrupt that nobody sent: its next
 * {@code sleep}, {@code wait} or blocking queue call would throw {@code InterruptedException}.
 *
 * <p>The flag cannot be told apart from one the program set, so it is cleared whenever an access
 * failed on a scope closed in this process: the thread gets "was freed" (or "is closed") instead.
 * An interrupt the program had sent that thread and not yet consumed is lost with it, in that
 * one case, where the thread used an object after its free: a smaller harm than stray interrupts
 * in every thread that races a free ({@code LockFreeRaceMessagesTest}, {@code CopyFreeRaceTest}).
 */
public final class ClosedScopes {
    private ClosedScopes() {
    }

    /** Clears the calling thread's interrupt flag after an access failed on a scope closed by another thread; returns {@code e}. */
    public static <E extends RuntimeException> E forgetInterrupt(E e) {
        Thread.interrupted();
        return e;
    }
}
