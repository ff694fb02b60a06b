package dev.sharedstruct.tests;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedCondition;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Main classes that ConditionAcrossProcessesTest starts in child JVMs. */
final class ConditionChildren {
    private ConditionChildren() {
    }

    // ---- the ring: a long array (its own lock) with two conditions of that lock ----

    /** Items taken so far, items put so far. */
    static final int HEAD = 0;
    static final int TAIL = 1;
    /** The ring's capacity: small, so that producers and consumers wait often. */
    static final int CAPACITY = 3;
    static final int ITEMS = 2;
    /** The sum and the sum of squares (mod 2^64) of the values taken. */
    static final int SUM = ITEMS + CAPACITY;
    static final int SQUARES = SUM + 1;
    static final int RING_LENGTH = SQUARES + 1;

    /** The value producer {@code producer} of JVM {@code jvm} puts {@code i}-th (from 1). */
    static long value(int jvm, int producer, int i) {
        return (jvm * 64L + producer) * 1_000_000L + i;
    }

    /**
     * Args: the ring's handle, the ids of "not full" and "not empty", producers, consumers,
     * values per producer, all the values every JVM puts together, and this JVM's index. Runs its
     * producers and consumers; consumers stop once all the values are taken. Each thread uses
     * another await form, so that every form meets the others' signals.
     */
    static final class RingWorker {
        public static void main(String[] args) throws Exception {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                SharedLongArray ring = shm.attach(args[0], SharedLongArray.class);
                SharedLock lock = Structs.lock(ring);
                SharedCondition notFull = lock.condition(Long.parseLong(args[1]));
                SharedCondition notEmpty = lock.condition(Long.parseLong(args[2]));
                int producers = Integer.parseInt(args[3]);
                int consumers = Integer.parseInt(args[4]);
                int values = Integer.parseInt(args[5]);
                long total = Long.parseLong(args[6]);
                int jvm = Integer.parseInt(args[7]);
                List<Thread> threads = new ArrayList<>();
                List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                for (int p = 0; p < producers; p++) {
                    int producer = p;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            for (int i = 1; i <= values; i++) {
                                try (var _ = lock.acquire()) {
                                    while (ring.get(TAIL) - ring.get(HEAD) == CAPACITY) {
                                        waitOn(notFull, producer);
                                    }
                                    long tail = ring.get(TAIL);
                                    ring.set(ITEMS + (int) (tail % CAPACITY), value(jvm, producer, i));
                                    ring.set(TAIL, tail + 1);
                                    notEmpty.signal();
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                for (int c = 0; c < consumers; c++) {
                    int consumer = c;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            while (true) {
                                try (var _ = lock.acquire()) {
                                    while (ring.get(TAIL) == ring.get(HEAD) && ring.get(HEAD) < total) {
                                        waitOn(notEmpty, consumer + 1);
                                    }
                                    long head = ring.get(HEAD);
                                    if (head == total) {
                                        notEmpty.signalAll(); // the other consumers stop too
                                        return;
                                    }
                                    long value = ring.get(ITEMS + (int) (head % CAPACITY));
                                    ring.set(HEAD, head + 1);
                                    ring.set(SUM, ring.get(SUM) + value);
                                    ring.set(SQUARES, ring.get(SQUARES) + value * value);
                                    notFull.signal();
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                for (Thread thread : threads) {
                    thread.join();
                }
                if (!failures.isEmpty()) {
                    failures.getFirst().printStackTrace();
                    System.exit(1);
                }
            }
        }

        /** One wait, in the form {@code which} picks: await, awaitUninterruptibly, awaitNanos, await(time, unit). */
        private static void waitOn(SharedCondition condition, int which) throws InterruptedException {
            switch (which % 4) {
                case 0 -> condition.await();
                case 1 -> condition.awaitUninterruptibly();
                case 2 -> condition.awaitNanos(TimeUnit.SECONDS.toNanos(10));
                default -> condition.await(10, TimeUnit.SECONDS);
            }
        }
    }

    // ---- one waiter: a long array (its own lock), a condition of that lock ----

    /** Set to 1 by the test when waiters may go on. */
    static final int GO = 0;
    /** How many waiters went on. */
    static final int WENT_ON = 1;
    /** Where waiter i writes its process id once it holds the lock, right before it awaits. */
    static final int MARKS = 2;

    /**
     * Args: a long array's handle, the id of a condition of its lock, this waiter's index. Takes
     * the lock twice (a handle and a nested lock()), marks itself, awaits until GO is set, counts itself in WENT_ON and says how many takeovers of
     * the lock it saw (a signaller may die holding the lock).
     */
    static final class Waiter {
        public static void main(String[] args) throws InterruptedException {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                SharedLongArray words = shm.attach(args[0], SharedLongArray.class);
                SharedLock lock = Structs.lock(words);
                SharedCondition condition = lock.condition(Long.parseLong(args[1]));
                try (var _ = lock.acquire()) {
                    lock.lock(); // a nested hold: await must release both, so that others can signal
                    try {
                        words.set(MARKS + Integer.parseInt(args[2]), ProcessHandle.current().pid());
                        while (words.get(GO) == 0) {
                            condition.await();
                        }
                        words.set(WENT_ON, words.get(WENT_ON) + 1);
                        System.out.println("went on after " + lock.recoveriesSinceLastLook() + " takeovers, holding "
                                + lock.holdCount());
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /** Args: a long array's handle, the id of a condition of its lock. Sets GO and signals under the lock, then dies holding it. */
    static final class SignalAndHold {
        public static void main(String[] args) throws InterruptedException {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                SharedLongArray words = shm.attach(args[0], SharedLongArray.class);
                SharedLock lock = Structs.lock(words);
                SharedCondition condition = lock.condition(Long.parseLong(args[1]));
                lock.lock();
                words.set(GO, 1);
                condition.signal();
                System.out.println("held");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    /**
     * Args: a counter's handle, the id of a condition of its lock. Writes its pid into the count
     * under the lock and awaits for good; exits with 3, saying why, when the await is refused.
     */
    static final class AwaitForever {
        public static void main(String[] args) throws InterruptedException {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                Counter counter = shm.attach(args[0], Counter.class);
                SharedLock lock = Structs.lock(counter);
                SharedCondition condition = lock.condition(Long.parseLong(args[1]));
                lock.lock();
                try {
                    counter.count(ProcessHandle.current().pid());
                    while (true) {
                        condition.await();
                    }
                } catch (IllegalStateException refused) {
                    System.out.println("refused: " + refused.getMessage());
                    System.out.flush();
                    System.exit(3);
                }
            }
        }
    }
}
