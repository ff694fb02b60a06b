package dev.sharedstruct.samples;

import dev.sharedstruct.testsupport.ChildJvm;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A multi-process counters board: worker JVMs update one named struct (a count, the last value,
 * a histogram) in a shared region, each update under the struct's lock, while a monitor JVM
 * prints a live view. At the end the totals are exact.
 *
 * <p>Given a path ({@code CountersBoard /dev/shm/board.region}), the region is made there and
 * kept after the demo, so that {@code bin/sharedstruct} can look into it from a second terminal
 * while the demo runs, and afterwards.
 */
public final class CountersBoard {
    static final int WORKERS = 3;
    static final int UPDATES_PER_WORKER = 100_000;

    private CountersBoard() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        Heading.print("CountersBoard: " + WORKERS + " worker JVMs update one named struct, a monitor JVM shows it live",
                "Each worker adds " + UPDATES_PER_WORKER + " values: count + 1, the last value, a histogram bucket + 1,",
                "all under the struct's lock. Expect the monitor's lines to climb, then exact totals:",
                "count = histogram sum = " + (long) WORKERS * UPDATES_PER_WORKER + ".");
        try (SharedMemory shm = region(args)) {
            Board board = shm.findOrCreate("board", Board.class);
            long expected = (long) WORKERS * UPDATES_PER_WORKER;
            String region = shm.path().toString();
            ChildJvm monitor = ChildJvm.start(Monitor.class, region, Long.toString(expected));
            List<ChildJvm> workers = new ArrayList<>();
            for (int id = 1; id <= WORKERS; id++) {
                workers.add(ChildJvm.start(Worker.class, region, Integer.toString(id), Integer.toString(UPDATES_PER_WORKER)));
            }
            for (ChildJvm worker : workers) {
                worker.joinSuccessfully(Duration.ofMinutes(5));
            }
            monitor.joinSuccessfully(Duration.ofMinutes(1));

            long histogramTotal = Arrays.stream(board.histogram()).sum();
            boolean exact = board.count() == expected && histogramTotal == expected;
            System.out.println("totals: count=" + board.count() + ", histogram sum=" + histogramTotal + ", expected "
                    + expected + (exact ? " -- exact" : " -- WRONG"));
            if (!exact) {
                System.exit(1);
            }
            if (args.length > 0) {
                System.out.println("region kept for inspection: bin/sharedstruct ls " + region);
            }
        }
    }

    /** A fresh region: at args[0], kept after the demo (a previous run's file replaced), or a temporary one. */
    private static SharedMemory region(String[] args) throws IOException {
        if (args.length == 0) {
            return SharedMemory.create(1 << 20);
        }
        Path path = Path.of(args[0]);
        Files.deleteIfExists(path);
        return SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE);
    }

    /** Adds values to the board: each update is one step under the board's lock. */
    public static final class Worker {
        private Worker() {
        }

        public static void main(String[] args) {
            Random random = new Random(Long.parseLong(args[1]));
            try (SharedMemory shm = SharedMemory.open(Path.of(args[0]))) {
                Board board = shm.find("board", Board.class).orElseThrow();
                for (int i = Integer.parseInt(args[2]); i > 0; i--) {
                    double value = random.nextDouble();
                    int bucket = (int) (value * Board.BUCKETS);
                    try (var _ = Structs.lock(board).acquire()) {
                        board.count(board.count() + 1);
                        board.lastValue(value);
                        board.histogram(bucket, board.histogram(bucket) + 1);
                    }
                }
            }
        }
    }

    /** Prints a live view of the board until it reaches the expected count. */
    public static final class Monitor {
        private Monitor() {
        }

        public static void main(String[] args) throws InterruptedException {
            long expected = Long.parseLong(args[1]);
            try (SharedMemory shm = SharedMemory.open(Path.of(args[0]))) {
                Board board = shm.find("board", Board.class).orElseThrow();
                long count;
                long shown = -1;
                do {
                    Thread.sleep(100);
                    String view;
                    // One consistent snapshot: count, last value and histogram read under one hold of the lock.
                    try (var _ = Structs.lock(board).acquire()) {
                        count = board.count();
                        view = String.format("monitor: count=%7d  last=%.4f  histogram=%s", count, board.lastValue(),
                                Arrays.toString(board.histogram()));
                    }
                    // A line only when the board moved: no repeated idle lines while workers start.
                    if (count != shown) {
                        System.out.println(view);
                        shown = count;
                    }
                } while (count < expected);
            }
        }
    }
}
