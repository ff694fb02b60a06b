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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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

    /**
     * Two writers set a long and a double as a pair in one hold; a reader reads both in one hold
     * and checks they belong together. Every accessor also locks on its own, so without the outer
     * holds a reader sees one writer's stamp beside the other's value (and this test fails).
     */
    @Test
    void aPairWrittenInOneHoldIsReadTogether() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Reading reading = shm.value(Reading.class);
            SharedLock lock = Structs.lock(reading);
            // Patterns whose halves differ, so that a torn 64-bit value would match no pair either.
            long[] stamps = {0L, -1L, 0x00000000FFFFFFFFL, 0xFFFFFFFF00000000L};
            double[] values = {0.0, Double.longBitsToDouble(-1L), 1.0 / 3.0, -Double.MAX_VALUE};
            AtomicBoolean stop = new AtomicBoolean();
            List<String> mismatches = new ArrayList<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int first = w;
                writers.add(Thread.ofPlatform().unstarted(() -> {
                    for (int i = 0; i < 300_000; i++) {
                        int k = (first + i) % stamps.length;
                        try (var _ = lock.acquire()) {
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
                    try (var _ = lock.acquire()) {
                        stamp = reading.stamp();
                        valueBits = Double.doubleToRawLongBits(reading.value());
                    }
                    reads.incrementAndGet();
                    int k = indexOf(stamps, stamp);
                    if (k < 0 || valueBits != Double.doubleToRawLongBits(values[k])) {
                        synchronized (mismatches) {
                            mismatches.add(Long.toHexString(stamp) + "/" + Long.toHexString(valueBits));
                        }
                    }
                }
            });
            reader.start();
            runAll(writers);
            stop.set(true);
            reader.join();
            assertTrue(reads.get() > 0, "the reader never read");
            assertEquals(List.of(), mismatches.stream().limit(5).toList(), mismatches.size() + " mismatched pairs of " + reads);
        }
    }

    private static int indexOf(long[] values, long value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
