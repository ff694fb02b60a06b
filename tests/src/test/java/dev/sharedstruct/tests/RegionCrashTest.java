package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill hunt: workers allocate, free, name and unname objects in one region and are SIGKILLed,
 * some at random moments, some paused by the test hook in the middle of an allocator or
 * directory update (while holding the region lock). Each new worker first opens the region and
 * verifies it: consistent, and every byte accounted as used or free. A worker the hook pauses in
 * open's own repair of an earlier kill is killed there too. {@code -Dsharedstruct.kills=N}
 * sets the number of kills (300 by default).
 */
class RegionCrashTest {
    private static final int KILLS = Integer.getInteger("sharedstruct.kills", 300);
    private static final int LANES = 4;

    @Test
    void killedWorkersNeverLeaveTheRegionInconsistent(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("hunted.region");
        try (SharedMemory shm = SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE)) {
            shm.findOrCreate("anchor", Samples.Point.class).x(1);
        }
        AtomicInteger kills = new AtomicInteger();
        AtomicInteger aimed = new AtomicInteger();
        ConcurrentHashMap<String, Integer> pausePoints = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService lanes = Executors.newFixedThreadPool(LANES);
        List<Future<?>> running = new ArrayList<>();
        for (int lane = 0; lane < LANES; lane++) {
            long seed = lane;
            running.add(lanes.submit(() -> {
                Random random = new Random(seed);
                while (kills.get() < KILLS && failures.isEmpty()) {
                    boolean aim = random.nextBoolean();
                    List<String> properties = aim ? List.of("-Dsharedstruct.test.pauseChance=0.02") : List.of();
                    try (RawChild worker = RawChild.start(IntegrityChildren.CrashWorker.class, properties, path.toString(),
                            Long.toString(random.nextLong()))) {
                        String first = worker.readLine();
                        if (aim && first != null && first.startsWith("paused:")) {
                            // Paused in open's repair of what an earlier kill left: a kill there must
                            // leave the region as repairable as any other.
                            pausePoints.merge("repair:" + first.substring(7), 1, Integer::sum);
                            aimed.incrementAndGet();
                            worker.kill();
                            kills.incrementAndGet();
                            continue;
                        }
                        if (!"verified".equals(first)) {
                            failures.add("a new worker found: " + first + "; " + worker.errors());
                            return null;
                        }
                        if (aim) {
                            // Killed where the hook paused it, mid-update and holding the region lock.
                            long deadline = System.nanoTime() + 1_500_000_000L;
                            Thread reader = Thread.ofVirtual().start(() -> {
                                String line = worker.readLine();
                                if (line != null && line.startsWith("paused:")) {
                                    pausePoints.merge(line.substring(7), 1, Integer::sum);
                                    aimed.incrementAndGet();
                                }
                            });
                            reader.join(java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                        } else {
                            Thread.sleep(random.nextInt(100));
                        }
                        if (!worker.isAlive()) {
                            failures.add("a worker died by itself (exit " + worker.join(1) + "): " + worker.errors());
                            return null;
                        }
                        worker.kill();
                        kills.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> lane : running) {
            lane.get();
        }
        lanes.shutdown();
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        try (SharedMemory shm = SharedMemory.open(path)) {
            assertNull(IntegrityChildren.problemsOf(shm), "after the last kill");
            assertEquals(shm.verify().freeBytes(), shm.freeBytes(), "free bytes exact");
            assertEquals(1.0, shm.find("anchor", Samples.Point.class).orElseThrow().x(), "named objects of no worker survive");
            System.out.println("kill hunt: " + kills.get() + " kills, " + aimed.get() + " aimed at " + pausePoints + "; " + shm.verify());
        }
        assertTrue(kills.get() >= KILLS, "kills: " + kills.get());
        Files.deleteIfExists(path);
    }
}
