package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.tests.Samples.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Real threads on synchronized structs: no lost update, no torn value. */
class LockedThreadsTest {

    private static void runAll(List<Thread> threads) throws InterruptedException {
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    @Test
    void fourThreadsOfAMillionLockedIncrementsLoseNoUpdate() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Counter counter = shm.value(Counter.class);
            SharedLock lock = Structs.lock(counter);
            int threads = 4;
            int increments = 1_000_000;
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Throwable> failures = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().unstarted(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < increments; i++) {
                            try (var _ = lock.acquire()) {
                                counter.count(counter.count() + 1);
                            }
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
            }
            runAll(workers);
            assertEquals(List.of(), failures);
            assertEquals((long) threads * increments, counter.count());
            assertTrue(!lock.isLocked(), "the lock is left free");
        }
    }

    @Test
    void lockedWritersOfALongAndADoubleNeverTearThem() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Reading reading = shm.value(Reading.class);
            // Patterns whose halves differ, so a torn 64-bit value would be none of them.
            long[] stamps = {0L, -1L, 0x00000000FFFFFFFFL, 0xFFFFFFFF00000000L};
            double[] values = {0.0, Double.longBitsToDouble(-1L), 1.0 / 3.0, -Double.MAX_VALUE};
            Set<Long> allowedStamps = ConcurrentHashMap.newKeySet();
            Set<Long> allowedValues = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < stamps.length; i++) {
                allowedStamps.add(stamps[i]);
                allowedValues.add(Double.doubleToRawLongBits(values[i]));
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<String> torn = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int first = w;
                threads.add(Thread.ofPlatform().unstarted(() -> {
                    for (int i = 0; i < 300_000; i++) {
                        int k = (first + i) % stamps.length;
                        reading.stamp(stamps[k]);
                        reading.value(values[k]);
                        // The pair written as one step: readers under the lock see matching indexes.
                        try (var _ = Structs.lock(reading).acquire()) {
                            reading.stamp(stamps[k]);
                            reading.value(values[k]);
                        }
                    }
                }));
            }
            Thread reader = Thread.ofPlatform().unstarted(() -> {
                while (!stop.get()) {
                    long stamp;
                    long valueBits;
                    try (var _ = Structs.lock(reading).acquire()) {
                        stamp = reading.stamp();
                        valueBits = Double.doubleToRawLongBits(reading.value());
                    }
                    if (!allowedStamps.contains(stamp) || !allowedValues.contains(valueBits)) {
                        synchronized (torn) {
                            torn.add(Long.toHexString(stamp) + "/" + Long.toHexString(valueBits));
                        }
                    }
                }
            });
            reader.start();
            runAll(threads);
            stop.set(true);
            reader.join();
            assertEquals(List.of(), torn);
        }
    }
}
