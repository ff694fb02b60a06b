package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Attacks on {@code SharedMemory.free(condition)}: states a kill or another mapping leaves. */
class ConditionFreeAttackTest {
    private SharedMemory shm;

    @BeforeEach
    void open() {
        shm = SharedMemory.create(1 << 16);
    }

    @AfterEach
    void close() {
        shm.close();
    }

    /** The id of a process that has exited. */
    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
    }

    /**
     * A free of a condition claims its cell ({@code claimForFree}, under the region lock) before
     * the allocator retires the block. A process SIGKILLed between the two leaves the cell's owner
     * word naming its dead thread, the block allocated and the condition live. Nobody ever locks a
     * condition's cell, so nothing takes that claim over: every later free of the condition was
     * refused ("its lock is held, by process ...") for the region's life, the leak the free was made
     * to end. Here the owner word is written as that kill leaves it.
     */
    @Test
    void aConditionWhoseFreeWasKilledAfterClaimingItsCellCanStillBeFreed() throws Exception {
        SharedLock lock = shm.newLock();
        long before = shm.freeBytes();
        SharedCondition condition = lock.newCondition();
        condition.cell().cell().set(JAVA_LONG, 0, deadPid() << 32 | 1);
        shm.free(condition);
        assertEquals(before, shm.freeBytes(), "the condition's cell came back");
        lock.lock();
        try {
            assertThrows(IllegalStateException.class, condition::signal);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A lock freed in one mapping whose cell is reused by an object's own lock, which this thread
     * holds: through a second mapping (another process's, in effect), the freed lock reads the
     * reused cell's owner word and takes itself for held by this thread (isHeldByCurrentThread
     * says true), so a signal of its condition went on: a write into the condition's cell under
     * no lock the condition belongs to, which a free of the condition (made without the lock,
     * since that was freed) does not wait for, so the write could land in the cell's next object.
     */
    @Test
    void aSignalThroughAFreedLockIsRefusedWhenItsCellIsAHeldLockAgain() {
        SharedLongArray first = shm.array(TypeCode.LONG, 2);
        SharedLock firstLock = Structs.lock(first);
        long cell = shm.offsetOf(firstLock);
        SharedCondition made = firstLock.newCondition();
        try (SharedMemory second = SharedMemory.open(shm.path())) {
            SharedLock stale = Structs.lock(second.attach(Structs.handle(first), SharedLongArray.class));
            SharedCondition found = stale.condition(made.id());
            shm.free(first);
            SharedLongArray again = shm.array(TypeCode.LONG, 2);
            SharedLock againLock = Structs.lock(again);
            assertEquals(cell, shm.offsetOf(againLock), "the next array's lock is made in the freed lock's cell");
            againLock.lock();
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class, found::signal);
                assertTrue(e.getMessage().contains("was freed"), e.getMessage());
                // Nor does the freed lock answer questions with the reused cell's words.
                for (org.junit.jupiter.api.function.Executable asked : List.<org.junit.jupiter.api.function.Executable>of(
                        stale::isHeldByCurrentThread, stale::isLocked, stale::holdCount, stale::ownerPid)) {
                    e = assertThrows(IllegalStateException.class, asked);
                    assertTrue(e.getMessage().contains("was freed"), e.getMessage());
                }
            } finally {
                againLock.unlock();
            }
        }
    }

    /**
     * A condition whose lock was freed is freed without that lock; two mappings (processes, in
     * effect) free it at once while a third thread makes locks as fast as it can, round after
     * round: one free wins, the other says "freed already", and no lock made meanwhile (some in
     * the condition's memory) finds its words written: its wake-up word stays 0.
     */
    @Test
    void twoFreesOfAConditionOfAFreedLockRacingAnAllocatorFreeItOnceAndTouchNoNewLock() throws Exception {
        long base = shm.freeBytes();
        try (SharedMemory second = SharedMemory.open(shm.path())) {
            for (int round = 0; round < 300; round++) {
                SharedLongArray words = shm.array(TypeCode.LONG, 1);
                SharedCondition mine = Structs.lock(words).newCondition();
                SharedCondition theirs = Structs.lock(second.attach(Structs.handle(words), SharedLongArray.class))
                        .condition(mine.id());
                shm.free(words);
                CyclicBarrier start = new CyclicBarrier(3);
                CompletableFuture<String> first = new CompletableFuture<>();
                CompletableFuture<String> other = new CompletableFuture<>();
                Thread.ofPlatform().start(() -> first.complete(freeAfter(start, shm, mine)));
                Thread.ofPlatform().start(() -> other.complete(freeAfter(start, second, theirs)));
                List<SharedLock> made = new ArrayList<>();
                start.await(10, TimeUnit.SECONDS);
                while ((!first.isDone() || !other.isDone()) && made.size() < 200) {
                    made.add(shm.newLock());
                }
                made.add(shm.newLock());
                List<String> outcomes = List.of(first.get(), other.get());
                assertTrue(outcomes.contains("freed") && outcomes.stream().anyMatch(o -> o.contains("freed already")),
                        "round " + round + ": " + outcomes);
                for (SharedLock lock : made) {
                    assertEquals(0, lock.cell().get(java.lang.foreign.ValueLayout.JAVA_INT, 16), "round " + round + ": " + lock);
                    assertTrue(lock.tryLock(), "round " + round + ": " + lock);
                    lock.unlock();
                    shm.free(lock);
                }
                assertEquals(base, shm.freeBytes(), "round " + round);
            }
        }
    }

    private static String freeAfter(CyclicBarrier start, SharedMemory through, SharedCondition condition) {
        try {
            start.await(10, TimeUnit.SECONDS);
            through.free(condition);
            return "freed";
        } catch (IllegalStateException e) {
            return e.getMessage();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
