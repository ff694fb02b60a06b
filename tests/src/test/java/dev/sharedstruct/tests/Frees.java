package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedMemory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Frees objects that another process may be holding the lock of, or waiting for, at that moment. */
final class Frees {
    private Frees() {
    }

    /**
     * A thread that frees {@code victim} ({@link #persistently}, for at most a minute) once
     * {@code go} is counted down: the other side of a race with a use of the victim.
     */
    static Thread freeingOnSignal(SharedMemory shm, Object victim, CountDownLatch go) {
        return Thread.ofPlatform().start(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            persistently(shm, victim, Duration.ofMinutes(1));
        });
    }

    /**
     * Frees {@code victim} (an object or a lock), trying again while {@code free} refuses it as in
     * use ("cannot free": its lock is held or waited for), for at most {@code patience}.
     *
     * @return how many times the free was refused before it went through
     */
    static int persistently(SharedMemory shm, Object victim, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (int refusals = 0; ; refusals++) {
            try {
                shm.free(victim);
                return refusals;
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage().contains("cannot free"), e.getMessage());
                assertTrue(System.nanoTime() - deadline < 0, "could not free for " + patience + ": " + e.getMessage());
                Thread.onSpinWait();
            }
        }
    }
}
