package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.testsupport.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Corrupt cells: junk written behind the runtime's back into the lock cells of live counters
 * (owner 0, the free word of another generation, -1, a pid above 2^22, a dead process's pid, a
 * tid part of 0, {@code RESERVED}, negative {@code extra_holds}, {@code waiters} of generation 0
 * or all ones or a full count, an odd {@code wakeups}, negative {@code recoveries}, and mixes),
 * then the lock taken at the same moment by this process and by a child JVM. Proves that each is
 * either normal operation or a takeover of the corrupt or dead owner (exactly one, after about
 * the 20 ms liveness check), never a wait past a generous bound (3 s), that the counter, its
 * neighbours' bytes and the cell's other words come out right (no write outside the cell), that
 * the counter can be freed afterwards and the region stays consistent; and that a negative
 * {@code extra_holds} met at a release is a clear {@link InvalidRegionException} with the lock
 * released. Runs {@code -Dsharedstruct.attack.runs=N} times (default 1).
 */
class CorruptCellTest {
    private static final int RUNS = Integer.getInteger("sharedstruct.attack.runs", 1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long BOUND_MILLIS = 3_000;
    private static final long RESERVED = 0x8000_0000L;
    private static final long START = 1000;
    private static final long[] CANARY = {0x0123_4567_89AB_CDEFL, -1, 0, RESERVED, Long.MIN_VALUE | 7, 42, -42, 1};

    /** One corruption: words to write at offsets of the cell, and whether a takeover must follow. */
    record Junk(String name, long owner, Integer extraHolds, Integer waiters, Integer wakeups, Integer recoveries,
            Boolean takeover) {
    }

    /**
     * Reads counter handles from its standard input; for each takes the counter's lock with a
     * 3 s timed tryLock, adds 1, releases, and prints "took N ms recovered R" or "failed ...".
     */
    static final class Taker {
        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("ready");
            for (String handle; (handle = in.readLine()) != null; ) {
                try (SharedMemory shm = SharedMemory.open(Handle.parse(handle).region())) {
                    System.out.println(take(shm.attach(handle, Counter.class)));
                } catch (RuntimeException | InterruptedException e) {
                    System.out.println("failed " + e);
                }
            }
        }
    }

    /** Takes the counter's lock (3 s at most), adds 1 and releases; says how it went. */
    static String take(Counter counter) throws InterruptedException {
        SharedLock lock = Structs.lock(counter);
        long start = System.nanoTime();
        int before = lock.recoveriesSinceLastLook();
        if (!lock.tryLock(BOUND_MILLIS, TimeUnit.MILLISECONDS)) {
            return "failed: not taken in " + BOUND_MILLIS + " ms: " + lock;
        }
        try {
            counter.count(counter.count() + 1);
        } finally {
            lock.unlock();
        }
        return "took " + (System.nanoTime() - start) / 1_000_000 + " ms recovered " + (lock.recoveriesSinceLastLook() - before);
    }

    @Test
    void junkInTheCellsOfLiveCountersIsSurvivedOrTakenOverOrRefusedClearly() throws Exception {
        long deadPid = deadPid();
        long hugePid = 5_000_000L;
        long pid = ProcessHandle.current().pid();
        List<Junk> cases = List.of(
                // Taken after ~20 ms, but as a hand-off, not a counted takeover: see CorruptOwnerZeroTest.
                new Junk("owner 0", 0, null, null, null, null, null),
                new Junk("owner -1", -1, null, null, null, null, true),
                new Junk("owner pid above 2^22", hugePid << 32 | 5, null, null, null, null, true),
                new Junk("owner a dead process", deadPid << 32 | 9, null, null, null, null, true),
                new Junk("owner a dead process asking for a hand-off", deadPid << 32 | 9 | RESERVED, null, null, null, null, true),
                new Junk("owner tid part 0", pid << 32, null, null, null, null, true),
                new Junk("owner pid 0 with a tid", 77, null, null, null, null, true),
                new Junk("owner RESERVED", RESERVED, null, null, null, null, false),
                new Junk("extra_holds negative", Long.MIN_VALUE, -5, null, null, null, false),
                new Junk("extra_holds huge", Long.MIN_VALUE, Integer.MAX_VALUE, null, null, null, false),
                new Junk("waiters generation 0 count 3", Long.MIN_VALUE, null, 3, null, null, false),
                new Junk("waiters all ones", Long.MIN_VALUE, null, -1, null, null, false),
                new Junk("waiters full count", Long.MIN_VALUE, null, 0x0005_FFFF, null, null, false),
                new Junk("wakeups odd", Long.MIN_VALUE, null, null, 0x7FFF_FFFF, null, false),
                new Junk("recoveries negative", Long.MIN_VALUE, null, null, null, -7, false),
                new Junk("dead owner, extra_holds 5, waiters all ones, wakeups odd", deadPid << 32 | 3, 5, -1, 13, null, true));
        ChildJvm child = ChildJvm.start(Taker.class);
        try (OutputStream toChild = child.process().getOutputStream()) {
            child.awaitOutput("ready", TIMEOUT);
            for (int run = 0; run < RUNS; run++) {
                for (Junk junk : cases) {
                    attack(junk, child, toChild, run);
                }
            }
        } finally {
            child.process().destroyForcibly();
        }
    }

    private static void attack(Junk junk, ChildJvm child, OutputStream toChild, int run) throws Exception {
        String what = "run " + run + ", " + junk.name() + ": ";
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            SharedLongArray below = shm.rawArray(TypeCode.LONG, CANARY);
            Counter counter = shm.value(Counter.class);
            SharedLongArray above = shm.rawArray(TypeCode.LONG, CANARY);
            counter.count(START);
            String handle = Structs.handle(counter);
            long cell = Handle.parse(handle).placement().lock();
            long generation = Handle.parse(handle).placement().generation();
            Path file = shm.path();
            long owner = junk.owner() == Long.MIN_VALUE ? Long.MIN_VALUE | generation : junk.owner();
            long ownerStart = RegionWords.read(file, cell + 24);
            RegionWords.write(file, cell, owner);
            if (junk.extraHolds() != null) {
                RegionWords.writeInt(file, cell + 8, junk.extraHolds());
            }
            if (junk.waiters() != null) {
                RegionWords.writeInt(file, cell + 12, junk.waiters());
            }
            if (junk.wakeups() != null) {
                RegionWords.writeInt(file, cell + 16, junk.wakeups());
            }
            if (junk.recoveries() != null) {
                RegionWords.writeInt(file, cell + 20, junk.recoveries());
            }
            int recoveriesBefore = RegionWords.readInt(file, cell + 20);
            int mark = child.output().length();
            toChild.write((handle + "\n").getBytes(StandardCharsets.UTF_8));
            toChild.flush();
            AtomicReference<String> mine = new AtomicReference<>();
            Thread taker = Thread.ofPlatform().start(() -> {
                try {
                    mine.set(take(counter));
                } catch (RuntimeException | InterruptedException e) {
                    mine.set("failed " + e);
                }
            });
            taker.join(Duration.ofMillis(BOUND_MILLIS + 2_000));
            assertFalse(taker.isAlive(), what + "this process's claim hangs");
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS + 5_000);
            String theirs;
            while (!(theirs = child.output().substring(mark)).contains("\n")) {
                assertTrue(System.nanoTime() < deadline, what + "the child's claim hangs: " + child.errorOutput());
                Thread.sleep(2);
            }
            theirs = theirs.strip();
            assertTrue(mine.get().startsWith("took "), what + "here: " + mine.get());
            assertTrue(theirs.startsWith("took "), what + "child: " + theirs);
            int recovered = RegionWords.readInt(file, cell + 20) - recoveriesBefore;
            assertTrue(junk.takeover() == null ? recovered <= 1 : recovered == (junk.takeover() ? 1 : 0), what
                    + "takeovers " + recovered + " (here: " + mine.get() + ", child: " + theirs + ")");
            SharedLock lock = Structs.lock(counter);
            assertFalse(lock.isLocked(), what + lock);
            assertEquals(START + 2, counter.count(), what + "both increments, and nothing else, reached the counter");
            assertArrayEquals(CANARY, below.toArray(), what + "the object below the cell was written");
            assertArrayEquals(CANARY, above.toArray(), what + "the object above the counter was written");
            assertEquals(0, RegionWords.readInt(file, cell + 8), what + "extra_holds left behind");
            assertTrue(RegionWords.read(file, cell + 24) != 0 || ownerStart == 0, what + "owner_start");
            assertEquals(0, lock.waiters(), what + "waiters left behind");
            shm.free(counter);
            var report = shm.verify();
            assertTrue(report.consistent(), what + report);
        }
    }

    /** A negative {@code extra_holds} written while this process holds the lock: the release says so and still frees the lock. */
    @Test
    void aNegativeExtraHoldsMetAtARelease() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Counter counter = shm.value(Counter.class);
            long cell = Handle.parse(Structs.handle(counter)).placement().lock();
            SharedLock lock = Structs.lock(counter);
            lock.lock();
            RegionWords.writeInt(shm.path(), cell + 8, -3);
            InvalidRegionException e = assertThrows(InvalidRegionException.class, lock::unlock);
            assertTrue(e.getMessage().contains("extra_holds"), e.getMessage());
            assertFalse(lock.isLocked(), lock.toString());
            assertTrue(lock.tryLock());
            lock.unlock();
            shm.free(counter);
            assertTrue(shm.verify().consistent());
        }
    }

    /** The pid of a process that has exited (and been reaped). */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        long pid = process.pid();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return pid;
    }
}
