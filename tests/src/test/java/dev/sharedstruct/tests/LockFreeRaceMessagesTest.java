package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A struct freed by one thread while another uses its lock, through {@code acquire()} or the
 * synchronized accessors: the user learns that the object "was freed", never FFM's bare
 * "Already closed" (which came from the claim or the release the free's closed scope cut off),
 * and no interrupt that nobody sent.
 */
class LockFreeRaceMessagesTest {
    private static final int ROUNDS = 300;

    @TempDir
    Path directory;

    @Test
    void acquireRacingWithFreeSaysWasFreed() throws Exception {
        race("acquire.region", p -> {
            try (var _ = Structs.lock(p).acquire()) {
                Thread.onSpinWait();
            }
        });
    }

    @Test
    void synchronizedAccessorsRacingWithFreeSayWasFreed() throws Exception {
        race("setter.region", p -> p.x(p.x() + 1));
    }

    private void race(String file, Consumer<Point> use) throws Exception {
        try (SharedMemory shm = SharedMemory.create(directory.resolve(file), 1 << 20)) {
            int refused = 0;
            for (int round = 0; round < ROUNDS; round++) {
                Point p = shm.value(Point.class);
                CountDownLatch started = new CountDownLatch(1);
                Thread freer = Frees.freeingOnSignal(shm, p, started);   // tried again while the user holds the lock
                started.countDown();
                try {
                    // Until a use is refused: at the latest the first one after the free returned
                    // (locked views of a freed object are refused with or without native access).
                    while (true) {
                        boolean freed = !freer.isAlive();
                        use.accept(p);
                        if (freed) {
                            throw new AssertionError("a use after the free returned was not refused");
                        }
                    }
                } catch (IllegalStateException e) {
                    assertTrue(e.getMessage() != null && e.getMessage().contains("was freed"), () -> "says it was freed: " + e);
                    refused++;
                }
                // HotSpot interrupts a thread it delivers the free's "Already closed" to (ClosedScopes).
                assertFalse(Thread.currentThread().isInterrupted(), "the race left this thread's interrupt flag set");
                freer.join();
            }
            assertEquals(ROUNDS, refused, "every round ends with a refused use");
            assertEquals(true, shm.verify().consistent(), shm.verify()::toString);
        }
    }
}
