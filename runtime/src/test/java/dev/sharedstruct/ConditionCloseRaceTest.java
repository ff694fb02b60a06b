package dev.sharedstruct;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * SharedConditionTest.closingTheRegionEndsAnAwaitWithIsClosed, round after round, the close at a
 * random moment of the waiter's bounded sleeps: every wait must end saying the region is closed.
 * With native access, close closes the objects' scopes before it unmaps the region; a waiter
 * whose sleep ends between the two finds its cell's scope closed while the region still reads as
 * open, and its await threw FFM's bare "Already closed" from the lock's reacquisition
 * (SharedLock.claimFree, claimRefused: the region's arena is still alive). About 1 wait in 100 to
 * 250, with native access only; the same at 341557a, before conditions could be freed. Seen first
 * as one failure of SharedConditionTest.closingTheRegionEndsAnAwaitWithIsClosed.
 */
class ConditionCloseRaceTest {
    private static final int ROUNDS = Integer.getInteger("sharedstruct.conditionCloseRounds", 300);

    @Test
    void everyAwaitCutByACloseSaysTheRegionIsClosed() throws Exception {
        int bare = 0;
        String first = null;
        for (int round = 0; round < ROUNDS; round++) {
            SharedMemory shm = SharedMemory.create(1 << 16);
            SharedLock lock = shm.newLock();
            SharedCondition condition = lock.newCondition();
            AtomicBoolean entered = new AtomicBoolean();
            CompletableFuture<Boolean> outcome = new CompletableFuture<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    lock.lock();
                    entered.set(true);
                    condition.await();
                    outcome.complete(true);
                } catch (Throwable e) {
                    outcome.completeExceptionally(e);
                }
            });
            while (!entered.get() || lock.isLocked()) {
                Thread.onSpinWait();
            }
            Thread.sleep(0, ThreadLocalRandom.current().nextInt(1, 999_999));
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 25));
            shm.close();
            Throwable e;
            try {
                outcome.get(10, TimeUnit.SECONDS);
                e = null;
            } catch (ExecutionException failed) {
                e = failed.getCause();
            }
            waiter.join();
            if (!(e instanceof IllegalStateException) || !e.getMessage().contains("is closed")) {
                bare++;
                if (first == null) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    if (e != null) {
                        e.printStackTrace(new java.io.PrintWriter(trace));
                    }
                    first = "round " + round + ": " + trace;
                }
            }
        }
        assertTrue(bare == 0, bare + " of " + ROUNDS + " waits ended otherwise; the first: " + first);
    }
}
