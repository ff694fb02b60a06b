package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reused-pid rule of docs/LOCK.md ("Liveness and takeover"): an owner word naming a pid that
 * now belongs to a process started after the owner's recorded start time is a dead owner's, taken
 * over once that has been seen for a second; an owner whose recorded start time is its live
 * process's is never taken over. A {@code sleep} child stands for the process that got the pid:
 * its pid is written into the cell behind the runtime's back, as a claimant that died there and
 * whose pid was handed out again would have left it.
 */
class ReusedPidTest {
    private static final long THREAD = 9;
    /** Where the region header keeps the region lock's cell (docs/FORMAT.md §2). */
    private static final long REGION_LOCK = 32;

    @TempDir
    Path directory;

    private Process sleeper;

    @AfterEach
    void stopSleeper() {
        if (sleeper != null) {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void aLockHeldBeforeWhoseOwnersPidNowNamesANewerProcessIsTakenOverAfterASecond() throws Exception {
        try (SharedMemory shm = SharedMemory.create(directory.resolve("held-before.region"), 1 << 16)) {
            Counter counter = shm.value(Counter.class);
            SharedLock lock = Structs.lock(counter);
            try (var _ = lock.acquire()) {
                counter.count(41);
            }
            long cell = lockCell(counter);
            RegionWords.write(shm.path(), cell, startSleeper() << 32 | THREAD);

            assertTakenOverFromTheSleeper(counter, lock);
        }
    }

    /**
     * A claimant killed between its compare-and-set and its store of {@code owner_start} leaves
     * the word as the cell had it. On a cell never claimed before that word was 0 ("start time
     * unknown, trust the pid"), and the lock was then waited for as long as any process had the
     * pid; a new cell now starts with its allocating process's start time.
     */
    @Test
    void aNewCellsFirstClaimantKilledBeforeRecordingItsStartTimeIsTakenOverOnceItsPidIsReused() throws Exception {
        try (SharedMemory shm = SharedMemory.create(directory.resolve("fresh.region"), 1 << 16)) {
            Counter counter = shm.value(Counter.class);
            SharedLock lock = Structs.lock(counter);
            long cell = lockCell(counter);
            RegionWords.write(shm.path(), cell, startSleeper() << 32 | THREAD);

            assertTakenOverFromTheSleeper(counter, lock);
        }
    }

    /** The same for the region lock of a region nobody has allocated in yet: what its creator left. */
    @Test
    void theRegionLocksFirstClaimantKilledBeforeRecordingItsStartTimeIsTakenOverOnceItsPidIsReused() throws Exception {
        Path path = directory.resolve("new.region");
        SharedMemory.create(path, 1 << 16, RegionOption.KEEP_FILE).close();
        RegionWords.write(path, REGION_LOCK, startSleeper() << 32 | THREAD);
        // Opening may take the region lock already: all of it away from the test's thread, bounded.
        CompletableFuture<String> used = CompletableFuture.supplyAsync(() -> {
            try (SharedMemory shm = SharedMemory.open(path)) {
                Counter counter = shm.value(Counter.class);
                counter.count(1);
                return counter.count() + " " + shm.verify();
            }
        });
        String outcome = used.get(10, TimeUnit.SECONDS);
        assertTrue(outcome.startsWith("1 consistent"), "a counter allocated after the takeover, and the region: " + outcome);
    }

    @Test
    void anOwnerWhoseRecordedStartTimeIsItsLiveProcesssIsNeverTakenOverUntilItDies() throws Exception {
        try (SharedMemory shm = SharedMemory.create(directory.resolve("live.region"), 1 << 16)) {
            Counter counter = shm.value(Counter.class);
            SharedLock lock = Structs.lock(counter);
            long cell = lockCell(counter);
            long pid = startSleeper();
            RegionWords.write(shm.path(), cell + RegionWords.OWNER_START, startTimeOf(pid));
            RegionWords.write(shm.path(), cell, pid << 32 | THREAD);

            assertFalse(lock.tryLock(2_500, TimeUnit.MILLISECONDS), "a live owner's lock was taken: " + lock);
            assertEquals(pid, lock.ownerPid(), "the owner");
            assertEquals(0, lock.recoveries(), "recoveries while the owner lives");

            sleeper.destroyForcibly().waitFor();
            assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "not taken once its owner died: " + lock);
            lock.unlock();
            assertEquals(1, lock.recoveries(), "recoveries after the owner died");
        }
    }

    private static void assertTakenOverFromTheSleeper(Counter counter, SharedLock lock) throws InterruptedException {
        // Through the raw view: the struct's own accessors would wait for the lock themselves.
        long count = Structs.raw(counter).count();
        long start = System.nanoTime();
        assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "a dead owner's lock whose pid another process has was not taken over: " + lock);
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        try {
            counter.count(count + 1);
        } finally {
            lock.unlock();
        }
        assertEquals(1, lock.recoveries(), "recoveries");
        // The rule waits for the pid's other process to be seen for a second, in case the owner
        // was only about to record its start time.
        assertTrue(waitedMillis >= 950, "taken over after " + waitedMillis + " ms, before the second of the rule");
        assertEquals(count + 1, counter.count(), "the increment after the takeover");
    }

    private long startSleeper() throws IOException {
        sleeper = new ProcessBuilder("sleep", "120").start();
        return sleeper.pid();
    }

    private static long lockCell(Counter counter) {
        return Handle.parse(Structs.handle(counter)).placement().lock();
    }

    /** Field 22 of /proc/{pid}/stat, {@code starttime}: what the runtime records as {@code owner_start}. */
    private static long startTimeOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(afterName[22 - 3]);
    }
}
