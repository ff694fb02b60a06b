package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedCondition;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.testsupport.ChildJvm;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs free the same condition at once, round after round, while a thread of the other JVM
 * awaits it: exactly one free succeeds, the other says "freed already", the waiter ends with
 * "was freed" (never sleeps on), the region's free bytes come back every round, and the lock
 * made next in the condition's memory is left as it was made.
 */
class ConditionFreeRaceTest {
    private static final int ROUNDS = Integer.getInteger("sharedstruct.conditionFreeRaceRounds", 150);
    private static final int ROUND = 0;
    private static final int ID = 1;
    private static final int WAITING = 2;
    private static final int GO = 3;
    private static final int CHILD_FREED = 4;
    private static final int CHILD_DONE = 5;
    private static final int WAITER_DONE = 6;
    private static final int WORDS = 7;

    /** Reads a word under the lock (a fence between the processes). */
    private static long read(SharedLongArray words, SharedLock lock, int index) {
        lock.lock();
        try {
            return words.get(index);
        } finally {
            lock.unlock();
        }
    }

    private static void write(SharedLongArray words, SharedLock lock, int index, long value) {
        lock.lock();
        try {
            words.set(index, value);
        } finally {
            lock.unlock();
        }
    }

    /** Args: the words' handle, the rounds. Each round: a waiter awaits the condition, this frees it when GO is set. */
    static final class Racer {
        public static void main(String[] args) throws Exception {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                SharedLongArray words = shm.attach(args[0], SharedLongArray.class);
                SharedLock lock = Structs.lock(words);
                int rounds = Integer.parseInt(args[1]);
                for (int round = 1; round <= rounds; round++) {
                    while (read(words, lock, ROUND) != round) {
                        Thread.onSpinWait();
                    }
                    SharedCondition condition = lock.condition(read(words, lock, ID));
                    int r = round;
                    Thread waiter = Thread.ofPlatform().start(() -> {
                        String outcome;
                        lock.lock();
                        try {
                            words.set(WAITING, r);
                            while (true) {
                                condition.await();
                            }
                        } catch (IllegalStateException e) {
                            outcome = e.getMessage().contains("was freed") ? "freed" : "other: " + e;
                        } catch (Throwable e) {
                            outcome = "other: " + e;
                        } finally {
                            lock.unlock();
                        }
                        if (!outcome.equals("freed")) {
                            System.out.println("waiter " + r + " " + outcome);
                        }
                        write(words, lock, WAITER_DONE, r);
                    });
                    while (read(words, lock, GO) != round) {
                        Thread.onSpinWait();
                    }
                    long freed;
                    try {
                        shm.free(condition);
                        freed = 1;
                    } catch (IllegalStateException e) {
                        freed = e.getMessage().contains("freed already") ? 0 : 2;
                        if (freed == 2) {
                            System.out.println("free " + round + ": " + e);
                        }
                    }
                    waiter.join();
                    lock.lock();
                    try {
                        words.set(CHILD_FREED, freed);
                        words.set(CHILD_DONE, round);
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    @Test
    void twoJvmsFreeingOneAwaitedConditionAtOnceFreeItOnce() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            SharedLongArray words = shm.array(TypeCode.LONG, WORDS);
            SharedLock lock = Structs.lock(words);
            long base = shm.freeBytes();
            ChildJvm child = ChildJvm.start(Racer.class, Structs.handle(words), Integer.toString(ROUNDS));
            int parentWins = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                SharedCondition condition = lock.newCondition();
                long id = condition.id();
                lock.lock();
                try {
                    words.set(ID, id);
                    words.set(ROUND, round);
                } finally {
                    lock.unlock();
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (read(words, lock, WAITING) != round) {
                    assertTrue(child.process().isAlive() && System.nanoTime() < deadline,
                            "round " + round + ": the waiter waits: " + child.output() + child.errorOutput());
                    Thread.onSpinWait();
                }
                write(words, lock, GO, round);
                long freed;
                try {
                    shm.free(condition);
                    freed = 1;
                    parentWins++;
                } catch (IllegalStateException e) {
                    assertTrue(e.getMessage().contains("freed already"), "round " + round + ": " + e);
                    freed = 0;
                }
                while (read(words, lock, CHILD_DONE) != round || read(words, lock, WAITER_DONE) != round) {
                    assertTrue(child.process().isAlive() && System.nanoTime() < deadline,
                            "round " + round + ": the other free and the waiter end: " + child.output() + child.errorOutput());
                    Thread.onSpinWait();
                }
                assertEquals(1, freed + read(words, lock, CHILD_FREED), "round " + round + ": one free of two: " + child.output());
                assertEquals(base, shm.freeBytes(), "round " + round + ": the cell came back");
                SharedLock next = shm.newLock();
                assertFalse(next.isLocked());
                assertEquals(0, next.waiters());
                shm.free(next);
            }
            child.joinSuccessfully(Duration.ofMinutes(1));
            assertEquals("", child.output(), "every waiter ended with 'was freed', every lost free with 'freed already'");
            System.out.println("parent won " + parentWins + " of " + ROUNDS);
        }
    }
}
