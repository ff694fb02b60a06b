package dev.sharedstruct.tests;

import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.RegionReport;
import dev.sharedstruct.SharedByteArray;
import dev.sharedstruct.SharedIntValue;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.tests.Samples.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Main classes of the region-integrity tests, started as child JVMs by {@link RawChild}. They
 * print only the short protocol lines their test reads, never chatter.
 */
final class IntegrityChildren {
    private IntegrityChildren() {
    }

    /**
     * What a region's accounting must be after any kill: consistent (which includes the header's
     * free-byte counter matching the free blocks), and every byte either used or free.
     */
    static String problemsOf(SharedMemory shm) {
        RegionReport report = shm.verify();
        if (!report.consistent()) {
            return report.toString().replace('\n', '|');
        }
        long accounted = report.usedBytes() + report.freeBytes();
        if (accounted != shm.size() - 1280) {
            return "used " + report.usedBytes() + " + free " + report.freeBytes() + " != " + (shm.size() - 1280);
        }
        return null;
    }

    /**
     * Starts a {@link CrashWorker} on the region at {@code path} and kills it (SIGKILL) where it
     * has marked a block free, half-way through a free: it dies holding the region lock, and the
     * next holder must repair what it left.
     */
    static void killMidFree(Path path) throws InterruptedException {
        try (RawChild worker = RawChild.start(CrashWorker.class,
                List.of("-Dsharedstruct.test.pauseChance=1", "-Dsharedstruct.test.pauseAt=free.marked"), path.toString(), "1")) {
            String verified = worker.readLine();
            String paused = worker.readLine();
            if (!"verified".equals(verified) || !"paused:free.marked".equals(paused)) {
                throw new AssertionError("the worker said " + verified + ", " + paused + ": " + worker.errors());
            }
            worker.kill();
        }
    }

    /**
     * Opens region args[0], verifies it (prints "verified", or "bad:..." and exits 3), then
     * allocates, frees, names and unnames objects at random (seed args[1]) until it is killed.
     */
    static final class CrashWorker {
        public static void main(String[] args) {
            Random random = new Random(Long.parseLong(args[1]));
            SharedMemory shm = SharedMemory.open(Path.of(args[0]));
            String problems = problemsOf(shm);
            System.out.println(problems == null ? "verified" : "bad:" + problems);
            System.out.flush();
            if (problems != null) {
                System.exit(3);
            }
            List<Object> held = new ArrayList<>();
            List<String> names = new ArrayList<>();
            String prefix = "n" + ProcessHandle.current().pid() + "-";
            for (long i = 0; ; i++) {
                int choice = random.nextInt(8);
                try {
                    if (choice < 3 && held.size() < 24) {
                        held.add(switch (random.nextInt(4)) {
                            case 0 -> shm.rawValue(Point.class);
                            case 1 -> shm.value(Counter.class);
                            case 2 -> shm.rawArray(TypeCode.BYTE, 1 + random.nextInt(400));
                            default -> shm.newLock();
                        });
                    } else if (choice < 5 && !held.isEmpty()) {
                        shm.free(held.remove(random.nextInt(held.size())));
                    } else if (choice < 7 && names.size() < 12) {
                        // The name says what it holds: "p" a struct, "a" an int array.
                        if (random.nextBoolean()) {
                            String name = prefix + "p" + i;
                            shm.findOrCreate(name, Point.class).x(i);
                            names.add(name);
                        } else {
                            String name = prefix + "a" + i;
                            shm.findOrCreateArray(name, TypeCode.INT, 1 + random.nextInt(40));
                            names.add(name);
                        }
                    } else if (!names.isEmpty()) {
                        String name = names.remove(random.nextInt(names.size()));
                        shm.free(name.startsWith(prefix + "p") ? shm.find(name, Point.class).orElseThrow()
                                : shm.findArray(name, TypeCode.INT).orElseThrow());
                    }
                } catch (dev.sharedstruct.RegionFullException e) {
                    // Dead workers leak what they held; free ours and go on.
                    for (Object object : held) {
                        shm.free(object);
                    }
                    held.clear();
                }
            }
        }
    }

    /** Creates (or opens) region args[0] of args[1] bytes with openOrCreate, then prints "done". */
    static final class Creator {
        public static void main(String[] args) {
            try (SharedMemory shm = SharedMemory.openOrCreate(Path.of(args[0]), Long.parseLong(args[1]), RegionOption.KEEP_FILE)) {
                System.out.println(shm.isCreator() ? "created" : "opened");
            }
        }
    }

    /**
     * One of the racers of the open race: for each round r of args[2], waits until the control
     * region args[0] says round r started, then openOrCreate on args[1]/round-r.region and
     * findOrCreate of 20 named values, each incremented; counts creators and refusals in the
     * control region and says it finished the round.
     */
    static final class OpenRacer {
        public static void main(String[] args) {
            int rounds = Integer.parseInt(args[2]);
            try (SharedMemory control = SharedMemory.open(Path.of(args[0]))) {
                SharedIntValue started = control.findValue("started", TypeCode.INT).orElseThrow();
                SharedIntValue finished = control.findValue("finished", TypeCode.INT).orElseThrow();
                SharedIntValue creators = control.findValue("creators", TypeCode.INT).orElseThrow();
                SharedIntValue refusals = control.findValue("refusals", TypeCode.INT).orElseThrow();
                for (int round = 1; round <= rounds; round++) {
                    while (started.get() < round) {
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    }
                    try (SharedMemory shm = SharedMemory.openOrCreate(Path.of(args[1], "round-" + round + ".region"), 1 << 16,
                            RegionOption.KEEP_FILE)) {
                        if (shm.isCreator()) {
                            creators.update(v -> v + 1);
                        }
                        for (int name = 0; name < 20; name++) {
                            SharedIntValue value = shm.findOrCreateValue("v" + name, TypeCode.INT);
                            value.update(v -> v + 1);
                        }
                    } catch (RuntimeException e) {
                        refusals.update(v -> v + 1);
                        System.err.println("round " + round + ": " + e);
                    }
                    finished.update(v -> v + 1);
                }
            }
        }
    }

    /**
     * Opens and exercises each region file listed in args[0], one per line, printing one line per
     * file: "ok", "invalid", "illegal", or "other:..." for anything else; "changed" is appended
     * when a refused open changed the file. A watchdog halts with "hang:<file>" after args[1] ms.
     * args[2] is a handle of the base region's "origin", attached in every copy.
     */
    static final class FuzzWorker {
        private static volatile String current = "";
        private static volatile long started = Long.MAX_VALUE;

        public static void main(String[] args) throws IOException {
            long limit = Long.parseLong(args[1]);
            Thread watchdog = new Thread(() -> {
                while (true) {
                    if (System.nanoTime() - started > limit * 1_000_000L) {
                        System.out.println("hang:" + current);
                        System.out.flush();
                        Runtime.getRuntime().halt(4);
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            for (String line : Files.readAllLines(Path.of(args[0]))) {
                Path file = Path.of(line);
                current = line;
                started = System.nanoTime();
                System.out.println(file.getFileName() + " " + exercise(file, args[2]));
                started = Long.MAX_VALUE;
            }
            System.out.flush();
        }

        private static String exercise(Path file, String handle) throws IOException {
            byte[] before = Files.readAllBytes(file);
            SharedMemory shm;
            try {
                shm = SharedMemory.open(file);
            } catch (InvalidRegionException e) {
                return "refused" + (Arrays.equals(before, Files.readAllBytes(file)) ? "" : " changed");
            } catch (RuntimeException e) {
                return "other:" + e.getClass().getSimpleName() + ":" + e.getMessage() + " (open)";
            }
            try (shm) {
                shm.verify();
                shm.attach(handle, Point.class);
                shm.find("origin", Point.class);
                shm.findArray("samples", TypeCode.INT);
                shm.findValue("total", TypeCode.INT);
                shm.findArray("bytes", TypeCode.BYTE);
                shm.find("counter", Counter.class);
                SharedByteArray fresh = shm.rawArray(TypeCode.BYTE, 100);
                Point point = shm.rawValue(Point.class);
                SharedLock lock = shm.newLock();
                shm.findOrCreate("fresh", Point.class);
                shm.free(fresh);
                shm.free(point);
                shm.free(lock);
                shm.free(shm.find("fresh", Point.class).orElseThrow());
                shm.find("origin", Point.class).ifPresent(shm::free);
                shm.verify();
                return "ok";
            } catch (InvalidRegionException e) {
                return "invalid";
            } catch (IllegalArgumentException e) {
                return "illegal";
            } catch (dev.sharedstruct.RegionFullException e) {
                return "full";
            } catch (IllegalStateException e) {
                // free's documented refusal of an object whose lock cell says it is held or waited for.
                return e.getMessage() != null && e.getMessage().startsWith("cannot free") ? "busy" : "other:" + e;
            } catch (RuntimeException | Error e) {
                return "other:" + e.getClass().getSimpleName() + ":" + String.valueOf(e.getMessage()).replace('\n', ' ') + where(e);
            }
        }

        /** The runtime's frame that threw, so that a bad outcome points at the unchecked read. */
        private static String where(Throwable e) {
            for (StackTraceElement frame : e.getStackTrace()) {
                if (frame.getClassName().startsWith("dev.sharedstruct.") && !frame.getClassName().startsWith("dev.sharedstruct.tests.")) {
                    return " at " + frame;
                }
            }
            return "";
        }
    }
}
