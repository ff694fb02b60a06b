package dev.sharedstruct.tests;

import dev.sharedstruct.Handle;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedByteArray;
import dev.sharedstruct.SharedCondition;
import dev.sharedstruct.SharedIntValue;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Main classes that the cross-process tests start in child JVMs. */
final class Children {
    private Children() {
    }

    /** What a child does with the object that its handle, args[0], names. */
    @FunctionalInterface
    private interface Work<T> {
        void run(SharedMemory shm, T attached) throws InterruptedException;
    }

    /**
     * The skeleton every handle-driven child shares: opens the region of the handle args[0],
     * attaches the object it names as {@code type}, runs {@code work} on it, and closes the region.
     */
    private static <T> void withAttached(String[] args, Class<T> type, Work<T> work) throws InterruptedException {
        try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
            work.run(shm, shm.attach(args[0], type));
        }
    }

    /** Attaches a counter by handle and adds 1 to it, args[1] times, under its lock. */
    static final class Increment {
        public static void main(String[] args) throws InterruptedException {
            withAttached(args, Counter.class, (shm, counter) -> {
                for (int i = Integer.parseInt(args[1]); i > 0; i--) {
                    try (var _ = Structs.lock(counter).acquire()) {
                        counter.count(counter.count() + 1);
                    }
                }
            });
        }
    }

    /** Attaches the stats struct by handle and adds 1 args[1] times with getAndAdd (no lock). */
    static final class GetAndAdd {
        public static void main(String[] args) throws InterruptedException {
            withAttached(args, Samples.Stats.class, (shm, stats) -> {
                for (int i = Integer.parseInt(args[1]); i > 0; i--) {
                    stats.getAndAddCount(1);
                }
            });
        }
    }

    /**
     * Attaches a counter by handle, takes its lock, writes half an update (count = -1), says
     * "held" and then holds the lock for args[1] milliseconds (forever when 0) before finishing.
     */
    static final class HoldLock {
        public static void main(String[] args) throws InterruptedException {
            withAttached(args, Counter.class, (shm, counter) -> {
                long millis = Long.parseLong(args[1]);
                try (var _ = Structs.lock(counter).acquire()) {
                    long before = counter.count();
                    counter.count(-1);
                    System.out.println("held");
                    System.out.flush();
                    Thread.sleep(millis == 0 ? Long.MAX_VALUE : millis);
                    counter.count(before + 1);
                }
            });
        }
    }

    /**
     * Fairness: attaches a counter by handle, registers (count + 1), waits until args[1] processes
     * have, then for args[2] milliseconds takes the lock over and over and keeps it 200 µs each
     * time (busy, as real work would). Stores its longest wait (ns) and its acquisitions at
     * 2 * args[3] and 2 * args[3] + 1 of the long array whose handle is args[4].
     */
    static final class BusyHolds {
        public static void main(String[] args) throws InterruptedException {
            withAttached(args, Counter.class, (shm, counter) -> {
                var lock = Structs.lock(counter);
                try (var _ = lock.acquire()) {
                    counter.count(counter.count() + 1);
                }
                long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (counter.count() < Integer.parseInt(args[1])) {
                    if (System.nanoTime() - giveUp > 0) {
                        throw new IllegalStateException("the other processes never arrived: " + counter.count() + " of " + args[1]);
                    }
                    Thread.onSpinWait();
                }
                long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000;
                long longest = 0;
                long acquisitions = 0;
                while (System.nanoTime() < end) {
                    long asked = System.nanoTime();
                    lock.lock();
                    try {
                        long got = System.nanoTime();
                        longest = Math.max(longest, got - asked);
                        acquisitions++;
                        while (System.nanoTime() - got < 200_000) {
                            Thread.onSpinWait();
                        }
                    } finally {
                        lock.unlock();
                    }
                }
                var results = shm.attach(args[4], SharedLongArray.class);
                int slot = 2 * Integer.parseInt(args[3]);
                results.set(slot, longest);
                results.set(slot + 1, acquisitions);
            });
        }
    }

    /**
     * A bounded ring in a long array (handle args[0]): [0] head, [1] tail, [2, 2 + RING) items,
     * then the consumer's checksum and a waiter's mark. args[1] and args[2] are the ids of the
     * conditions "not full" and "not empty" of the array's lock.
     */
    static final int RING = 4;
    static final int RING_CHECKSUM = 2 + RING;
    static final int RING_WAITER_MARK = RING_CHECKSUM + 1;

    /** The ring's array (handle args[0]), its lock, and that lock's conditions "not full" (args[1]) and "not empty" (args[2]). */
    private record Ring(SharedLongArray items, SharedLock lock, SharedCondition notFull, SharedCondition notEmpty) {
        static Ring of(SharedLongArray items, String[] args) {
            SharedLock lock = Structs.lock(items);
            return new Ring(items, lock, lock.condition(Long.parseLong(args[1])), lock.condition(Long.parseLong(args[2])));
        }
    }

    /** The skeleton of the ring's children: runs {@code work} on the ring that args name, in its opened region. */
    private static void withRing(String[] args, Work<Ring> work) throws InterruptedException {
        withAttached(args, SharedLongArray.class, (shm, items) -> work.run(shm, Ring.of(items, args)));
    }

    /** Puts 1..args[3] into the ring, waiting while it is full. */
    static final class RingProducer {
        public static void main(String[] args) throws InterruptedException {
            withRing(args, (shm, r) -> {
                SharedLongArray ring = r.items();
                for (long value = 1, count = Long.parseLong(args[3]); value <= count; value++) {
                    try (var _ = r.lock().acquire()) {
                        while (ring.get(1) - ring.get(0) == RING) {
                            r.notFull().await();
                        }
                        ring.set(2 + (int) (ring.get(1) % RING), value);
                        ring.set(1, ring.get(1) + 1);
                        r.notEmpty().signal();
                    }
                }
            });
        }
    }

    /** Takes args[3] values from the ring, waiting while it is empty; stores a checksum, or -1 if they came out of order. */
    static final class RingConsumer {
        public static void main(String[] args) throws InterruptedException {
            withRing(args, (shm, r) -> {
                SharedLongArray ring = r.items();
                long sum = 0;
                for (long expected = 1, count = Long.parseLong(args[3]); expected <= count; expected++) {
                    try (var _ = r.lock().acquire()) {
                        while (ring.get(1) == ring.get(0)) {
                            r.notEmpty().await();
                        }
                        long value = ring.get(2 + (int) (ring.get(0) % RING));
                        ring.set(0, ring.get(0) + 1);
                        r.notFull().signal();
                        sum = value == expected && sum >= 0 ? sum + value : -1;
                    }
                }
                ring.set(RING_CHECKSUM, sum);
            });
        }
    }

    /** Marks the ring, then awaits "not empty" for a predicate that never comes true, until it is killed. */
    static final class RingWaiter {
        public static void main(String[] args) throws InterruptedException {
            withRing(args, (shm, r) -> {
                try (var _ = r.lock().acquire()) {
                    r.items().set(RING_WAITER_MARK, ProcessHandle.current().pid());
                    while (r.items().get(RING_WAITER_MARK) != 0) {
                        r.notEmpty().await();
                    }
                }
            });
        }
    }

    /** Attaches a counter by handle and exits with 10 if its lock could be taken, 0 if not. */
    static final class TryLock {
        public static void main(String[] args) throws InterruptedException {
            withAttached(args, Counter.class, (shm, counter) -> {
                if (Structs.lock(counter).tryLock()) {
                    System.exit(10);
                }
            });
        }
    }

    /** Finds the point named args[1] in region args[0] and sets x to args[2]. */
    static final class SetNamedPoint {
        public static void main(String[] args) {
            try (SharedMemory shm = SharedMemory.open(Path.of(args[0]))) {
                Point point = shm.find(args[1], Point.class).orElseThrow();
                point.x(Double.parseDouble(args[2]));
            }
        }
    }

    /**
     * Allocates and frees byte arrays in region args[0] for args[2] rounds, filling each with its
     * own pattern (args[1]) and checking every array it still holds; exits with 1 on a mismatch.
     */
    static final class AllocateAndFree {
        public static void main(String[] args) {
            byte pattern = Byte.parseByte(args[1]);
            Random random = new Random(pattern);
            try (SharedMemory shm = SharedMemory.open(Path.of(args[0]))) {
                List<SharedByteArray> held = new ArrayList<>();
                for (int round = Integer.parseInt(args[2]); round > 0; round--) {
                    if (held.size() < 20 && (held.isEmpty() || random.nextBoolean())) {
                        SharedByteArray array = shm.rawArray(TypeCode.BYTE, 1 + random.nextInt(300));
                        array.fill(pattern);
                        held.add(array);
                    } else {
                        SharedByteArray freed = held.remove(random.nextInt(held.size()));
                        check(freed, pattern);
                        shm.free(freed);
                    }
                    for (SharedByteArray array : held) {
                        check(array, pattern);
                    }
                }
                for (SharedByteArray array : held) {
                    shm.free(array);
                }
            }
        }

        private static void check(SharedByteArray array, byte pattern) {
            for (byte b : array.toArray()) {
                if (b != pattern) {
                    System.err.println("block of child " + pattern + " holds " + b + ": blocks overlap");
                    System.exit(1);
                }
            }
        }
    }

    /** Opens or creates region args[0], says which, and adds 1 to the value named "hits". */
    static final class OpenOrCreate {
        public static void main(String[] args) {
            try (SharedMemory shm = SharedMemory.openOrCreate(Path.of(args[0]), Long.parseLong(args[1]), RegionOption.KEEP_FILE)) {
                System.out.println(shm.isCreator() ? "created" : "opened");
                SharedIntValue hits = shm.findOrCreateValue("hits", TypeCode.INT);
                hits.update(v -> v + 1);
            }
        }
    }
}
