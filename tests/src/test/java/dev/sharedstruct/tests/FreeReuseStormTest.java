package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.testsupport.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Free + reuse storm (format 3): a child's threads hammer the locks of many counters, own locks
 * and {@code newLock()} locks shared by several counters, with every way of taking a lock
 * ({@code acquire}, {@code lock}, {@code lockInterruptibly}, {@code tryLock}, timed {@code tryLock})
 * and write under them, while this process frees the counters (and then the shared locks) and at
 * once reuses each block with an object of the same size: a new own-lock counter (whose cell is
 * free at a newer generation) or a raw {@code long[]} whose words equal plausible owner words:
 * 0, -1, {@code RESERVED}, {@code RESERVED | token}, and the child threads' own tokens.
 *
 * <p>Proves that a stale claim by any entry point never takes a new counter's lock and never
 * writes into a reused block (each reused object's bytes are exactly what this process wrote,
 * every new lock is free with no waiters), that every refusal says "was freed", and that the
 * region stays consistent. (The freed lock's own free word, {@code 1 << 63 | generation}, is
 * {@link StaleFreeWordTest}'s.) Runs {@code -Dsharedstruct.attack.runs=N} times (default 1).
 *
 * <p>It found a release that wrote {@code wakeups} after its store of {@code FREE} (about one run
 * in three): see {@link WakeAfterFreeTest}.
 */
class FreeReuseStormTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final int RUNS = Integer.getInteger("sharedstruct.attack.runs", 1);
    private static final int OWN = 120;
    private static final int SHARED_LOCKS = 12;
    private static final int USERS_PER_LOCK = 4;
    private static final int THREADS = 3;
    private static final long RESERVED = 0x8000_0000L;

    @TempDir
    Path directory;

    /**
     * Attaches every counter whose handle is a line of args[0], prints its threads' tokens and
     * "ready", then hammers them from {@link #THREADS} threads until every counter was refused as
     * freed; prints "other [...]" with any refusal that did not say "was freed".
     */
    static final class Hammer {
        public static void main(String[] args) throws Exception {
            try (HandleFile.Attached attached = HandleFile.attachCounters(Path.of(args[0]))) {
                List<Counter> counters = new ArrayList<>(attached.counters());
                ConcurrentLinkedQueue<String> other = new ConcurrentLinkedQueue<>();
                List<Thread> threads = new ArrayList<>();
                StringBuilder tokens = new StringBuilder("tokens");
                for (int t = 0; t < THREADS; t++) {
                    int seed = t;
                    Thread thread = Thread.ofPlatform().unstarted(() -> hammer(counters, seed, other));
                    threads.add(thread);
                    tokens.append(' ').append(ProcessHandle.current().pid() << 32 | (thread.threadId() & 0x7FFF_FFFFL));
                }
                System.out.println(tokens);
                System.out.println("ready");
                threads.forEach(Thread::start);
                for (Thread thread : threads) {
                    thread.join();
                }
                System.out.println("other " + other);
            }
        }

        private static void hammer(List<Counter> all, int seed, ConcurrentLinkedQueue<String> other) {
            List<Counter> live = new ArrayList<>(all);
            Random random = new Random(seed);
            while (!live.isEmpty()) {
                for (int i = live.size() - 1; i >= 0; i--) {
                    Counter counter = live.get(i);
                    SharedLock lock = Structs.lock(counter);
                    try {
                        if (take(lock, random.nextInt(5))) {
                            try {
                                counter.count(counter.count() + 1);
                            } finally {
                                lock.unlock();
                            }
                        }
                    } catch (IllegalStateException e) {
                        live.remove(i);
                        if (e.getMessage() == null || !e.getMessage().contains("was freed")) {
                            other.add(e.toString());
                        }
                    } catch (RuntimeException | InterruptedException e) {
                        live.remove(i);
                        other.add(e.toString());
                    }
                }
            }
        }

        private static boolean take(SharedLock lock, int how) throws InterruptedException {
            switch (how) {
                case 0 -> lock.acquire();
                case 1 -> lock.lock();
                case 2 -> lock.lockInterruptibly();
                case 3 -> {
                    return lock.tryLock();
                }
                default -> {
                    return lock.tryLock(1, TimeUnit.MILLISECONDS);
                }
            }
            return true;
        }
    }

    @Test
    void staleClaimsOfEveryKindNeverTakeOrWriteReusedBlocks() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            storm(new Random(run * 7919L + System.nanoTime()), run);
        }
    }

    private void storm(Random random, int run) throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 21)) {
            List<Counter> own = new ArrayList<>();
            List<SharedLock> locks = new ArrayList<>();
            List<List<Counter>> users = new ArrayList<>();
            List<Long> lockOffsets = new ArrayList<>();
            List<String> handles = new ArrayList<>();
            for (int i = 0; i < OWN; i++) {
                Counter counter = shm.value(Counter.class);
                own.add(counter);
                handles.add(Structs.handle(counter));
            }
            for (int l = 0; l < SHARED_LOCKS; l++) {
                SharedLock lock = shm.newLock();
                locks.add(lock);
                List<Counter> its = new ArrayList<>();
                for (int u = 0; u < USERS_PER_LOCK; u++) {
                    Counter counter = shm.value(Counter.class, lock);
                    its.add(counter);
                    handles.add(Structs.handle(counter));
                }
                users.add(its);
                lockOffsets.add(Handle.parse(Structs.handle(its.getFirst())).placement().lock());
            }
            Path handleFile = Files.write(directory.resolve("handles-" + run + ".txt"), handles);
            ChildJvm child = ChildJvm.start(Hammer.class, handleFile.toString());
            try {
                child.awaitOutput("ready", TIMEOUT);
                List<Long> tokens = new ArrayList<>();
                for (String line : child.output().lines().toList()) {
                    if (line.startsWith("tokens ")) {
                        for (String token : line.substring(7).split(" ")) {
                            tokens.add(Long.parseLong(token));
                        }
                    }
                }
                List<Long> words = new ArrayList<>(List.of(0L, -1L, RESERVED));
                for (long token : tokens) {
                    words.add(token);
                    words.add(token | RESERVED);
                }
                List<Counter> newCounters = new ArrayList<>();
                List<SharedLongArray> arrays = new ArrayList<>();
                List<long[]> patterns = new ArrayList<>();
                // Own-lock counters and the shared locks' users, in random order; a lock once all its users are gone.
                List<Object> order = new ArrayList<>(own);
                users.forEach(order::addAll);
                Collections.shuffle(order, random);
                // By identity: structs' equals compares contents.
                java.util.Map<Object, Integer> lockOf = new java.util.IdentityHashMap<>();
                for (int l = 0; l < SHARED_LOCKS; l++) {
                    for (Counter user : users.get(l)) {
                        lockOf.put(user, l);
                    }
                }
                int[] usersLeft = new int[SHARED_LOCKS];
                java.util.Arrays.fill(usersLeft, USERS_PER_LOCK);
                for (Object victim : order) {
                    int lockIndex = lockOf.getOrDefault(victim, -1);
                    long block = Handle.parse(Structs.handle(victim)).placement().block();
                    Frees.persistently(shm, victim, Duration.ofSeconds(20));
                    int longs = lockIndex < 0 ? 5 : 1;     // 32-byte cell + 8, or just the 8-byte count
                    reuse(shm, random, longs, block, lockIndex < 0, words, newCounters, arrays, patterns);
                    if (lockIndex >= 0 && --usersLeft[lockIndex] == 0) {
                        SharedLock lock = locks.get(lockIndex);
                        long lockBlock = lockOffsets.get(lockIndex);
                        Frees.persistently(shm, lock, Duration.ofSeconds(20));
                        reuse(shm, random, 4, lockBlock, false, words, newCounters, arrays, patterns);
                    }
                }
                child.joinSuccessfully(TIMEOUT);
                String said = child.output();
                assertTrue(said.contains("other []"), said + child.errorOutput());
                for (int i = 0; i < arrays.size(); i++) {
                    assertArrayEquals(patterns.get(i), arrays.get(i).toArray(), "run " + run + ": a reused block was written; child: " + said);
                }
                for (Counter counter : newCounters) {
                    SharedLock lock = Structs.lock(counter);
                    assertFalse(lock.isLocked(), "run " + run + ": a new counter's lock was taken: " + lock);
                    assertEquals(0, lock.waiters(), "run " + run + ": waiters on a new counter's lock");
                    assertEquals(0, lock.recoveries(), "run " + run);
                    assertEquals(0, counter.count(), "run " + run + ": a new counter was written");
                }
                var report = shm.verify();
                assertTrue(report.consistent(), "run " + run + ": " + report);
            } finally {
                child.process().destroyForcibly();
            }
        }
    }

    /** Reuses the block just freed with a new own-lock counter (when it fits exactly) or a raw long[] of owner-like words. */
    private static void reuse(SharedMemory shm, Random random, int longs, long block, boolean counterFits, List<Long> words,
            List<Counter> newCounters, List<SharedLongArray> arrays, List<long[]> patterns) {
        if (counterFits && random.nextInt(3) == 0) {
            Counter counter = shm.value(Counter.class);
            assertEquals(block, Handle.parse(Structs.handle(counter)).placement().block(), "the new counter reuses the block");
            newCounters.add(counter);
            return;
        }
        long[] pattern = new long[longs];
        for (int i = 0; i < longs; i++) {
            pattern[i] = words.get(random.nextInt(words.size()));
        }
        if (random.nextBoolean()) {
            pattern[0] = words.get(random.nextInt(words.size()));
        }
        SharedLongArray array = shm.rawArray(TypeCode.LONG, pattern);
        assertEquals(block, Handle.parse(Structs.handle(array)).placement().block(), "the array reuses the block");
        arrays.add(array);
        patterns.add(pattern);
    }
}
