package dev.sharedstruct.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.sharedstruct.testsupport.ChildJvm;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Locked increments per second with 1, 2 and 4 processes, side by side in one run: sharedstruct
 * (child JVMs on one region, through the generated accessors under the struct's lock), Python's
 * {@code multiprocessing.Value} with {@code get_lock()}, a hand-written FFM compare-and-set
 * spin lock on a mapped file (the practical ceiling), and glibc's robust process-shared
 * {@code pthread_mutex} (a C program, {@code src/main/c/robust_mutex_increments.c}). Rounds
 * alternate between the contestants and each one's best counts. Every total is checked to be exact.
 *
 * <p>Usage: {@code ProcessComparison [javaOpsPerProcess] [pythonOpsPerProcess] [robustMutexProgram]};
 * {@code -Dcompare.processes=1} measures one process count only.
 */
public final class ProcessComparison {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** The process counts measured unless {@code -Dcompare.processes} names others. */
    private static final String PROCESS_COUNTS = "1,2,4";
    /** Rounds per process count; each contestant's best round counts, so a hiccup of the machine does not. */
    private static final int ROUNDS = 3;

    private ProcessComparison() {
    }

    /** One measurement: the final total and the time from the start to the last finish. */
    record Result(long total, double seconds) {
        double rate() {
            return total / seconds;
        }
    }

    /** {@code 1,2,4}: positive counts separated by commas, or an error that names the bad one. */
    private static int[] processCounts(String list) {
        return java.util.Arrays.stream(list.split(",")).mapToInt(item -> {
            try {
                int count = Integer.parseInt(item.trim());
                if (count >= 1) {
                    return count;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("-Dcompare.processes=" + list + ": \"" + item
                    + "\" is not a process count (a positive whole number; e.g. -Dcompare.processes=1,2,4)");
        }).toArray();
    }

    public static void main(String[] args) throws Exception {
        long javaOps = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
        long pythonOps = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        Path glibc = args.length > 2 ? Path.of(args[2]) : null;
        Path python = findPythonScript();
        // Children's output is copied to System.out as they run; the table is the only output.
        PrintStream table = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        table.printf(Locale.ROOT, "locked increments per second, best of %d alternating rounds (%d per Java or C process, %d per Python process)%n",
                ROUNDS, javaOps, pythonOps);
        table.printf(Locale.ROOT, "%-9s %14s %14s %14s %14s %9s %9s %s%n", "processes", "sharedstruct", "FFM spin lock",
                "glibc robust", "python Value", "vs spin", "vs glibc", "totals");
        boolean allExact = true;
        for (int processes : processCounts(System.getProperty("compare.processes", PROCESS_COUNTS))) {
            double ours = 0, ceiling = 0, mutex = 0, theirs = 0;
            boolean exact = true;
            for (int round = 0; round < ROUNDS; round++) {
                Result our = sharedstruct(processes, javaOps);
                Result spin = spinLock(processes, javaOps);
                Result c = glibc == null ? null : robustMutex(glibc, processes, javaOps);
                Result py = python(python, processes, pythonOps);
                exact &= our.total() == processes * javaOps && spin.total() == processes * javaOps
                        && (c == null || c.total() == processes * javaOps) && py.total() == processes * pythonOps;
                ours = Math.max(ours, our.rate());
                ceiling = Math.max(ceiling, spin.rate());
                mutex = c == null ? Double.NaN : Math.max(mutex, c.rate());
                theirs = Math.max(theirs, py.rate());
            }
            allExact &= exact;
            table.printf(Locale.ROOT, "%-9d %12.1f M %12.1f M %12.1f M %12.2f M %8.2fx %8.2fx %s%n", processes, ours / 1e6,
                    ceiling / 1e6, mutex / 1e6, theirs / 1e6, ours / ceiling, ours / mutex, exact ? "exact" : "LOST UPDATES");
        }
        if (!allExact) {
            System.exit(1);
        }
    }

    private static Result robustMutex(Path program, int processes, long ops) throws IOException, InterruptedException {
        return external(List.of(program.toString(), Integer.toString(processes), Long.toString(ops)));
    }

    /** Runs a program that prints "total seconds" and returns that. */
    private static Result external(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String[] out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return new Result(Long.parseLong(out[0]), Double.parseDouble(out[1]));
    }

    private static Result sharedstruct(int processes, long ops) throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            BenchCounter counter = shm.findOrCreate("counter", BenchCounter.class);
            StartLine start = shm.findOrCreate("start", StartLine.class);
            return race(processes, SharedStructWorker.class, start,
                    List.of(Structs.handle(counter), Structs.handle(start), Long.toString(ops)), counter::count);
        }
    }

    private static Result spinLock(int processes, long ops) throws Exception {
        Path file = Files.createTempFile("spinlock", ".bin");
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Files.write(file, new byte[64]);
            StartLine start = shm.findOrCreate("start", StartLine.class);
            return race(processes, SpinLockWorker.class, start,
                    List.of(file.toString(), Structs.handle(start), Long.toString(ops)), () -> readSpinCounter(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Starts the workers, waits until all are ready, starts them together and times them. */
    private static Result race(int processes, Class<?> worker, StartLine start, List<String> args,
            java.util.function.LongSupplier total) throws Exception {
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            children.add(ChildJvm.start(List.of("-Xshare:auto"), worker, args.toArray(String[]::new)));
        }
        while (start.getVolatileReady() < processes) {
            Thread.onSpinWait();
        }
        start.setVolatileGo(1);
        for (ChildJvm child : children) {
            child.joinSuccessfully(TIMEOUT);
        }
        long longest = 0;
        for (ChildJvm child : children) {
            longest = Math.max(longest, Long.parseLong(child.output().trim()));
        }
        // Each worker times itself from the common start; the slowest one ends the race.
        return new Result(total.getAsLong(), Math.max(longest, 1) / 1e9);
    }

    private static Result python(Path script, int processes, long ops) throws IOException, InterruptedException {
        return external(List.of("python3", script.toString(), Integer.toString(processes), Long.toString(ops)));
    }

    private static long readSpinCounter(Path file) {
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, 16, arena).get(JAVA_LONG, 8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path findPythonScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("src/main/python/value_increments.py"),
                    dir.resolve("benchmarks/src/main/python/value_increments.py"))) {
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("value_increments.py not found from " + Path.of("").toAbsolutePath());
    }

    /** Increments so many times on memory of its own first, so that the timed run is compiled code. */
    private static final long WARM_UP_OPS = 2_000_000;
    private static final int WARM_UP_CALLS = 200;

    /**
     * Warms up on private memory, reports ready, waits for the start, then times its increments on
     * the shared counter; returns the nanoseconds.
     */
    private static long timed(StartLine start, java.util.function.LongConsumer warmUp, Runnable increments) {
        // In many calls, not one: the timed call then runs the method's regular compiled code, as
        // a real program's hot method would, rather than the code compiled for the warm-up's loop
        // (on-stack replacement), which the JIT may have compiled with different inlining.
        for (int call = 0; call < WARM_UP_CALLS; call++) {
            warmUp.accept(WARM_UP_OPS / WARM_UP_CALLS);
        }
        start.getAndAddReady(1);
        while (start.getVolatileGo() == 0) {
            Thread.onSpinWait();
        }
        long began = System.nanoTime();
        increments.run();
        return System.nanoTime() - began;
    }

    /** sharedstruct: {@code try (lock) { counter.count(counter.count() + 1); }}, as Python's {@code with} block. */
    public static final class SharedStructWorker {
        private SharedStructWorker() {
        }

        public static void main(String[] args) {
            try (SharedMemory shm = SharedMemory.open(dev.sharedstruct.Handle.parse(args[0]).region())) {
                BenchCounter counter = shm.attach(args[0], BenchCounter.class);
                StartLine start = shm.attach(args[1], StartLine.class);
                BenchCounter own = shm.value(BenchCounter.class);
                long ops = Long.parseLong(args[2]);
                System.out.println(timed(start, n -> increment(own, n), () -> increment(counter, ops)));
            }
        }

        private static void increment(BenchCounter counter, long ops) {
            SharedLock lock = Structs.lock(counter);
            for (long i = 0; i < ops; i++) {
                try (var _ = lock.acquire()) {
                    counter.count(counter.count() + 1);
                }
            }
        }
    }

    /** The ceiling: a hand-written compare-and-set spin lock around a plain increment, on a mapped file. */
    public static final class SpinLockWorker {
        private static final VarHandle LOCK = JAVA_INT.varHandle();
        private static final VarHandle COUNTER = JAVA_LONG.varHandle();

        private SpinLockWorker() {
        }

        public static void main(String[] args) throws IOException {
            try (Arena arena = Arena.ofShared();
                    FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE);
                    SharedMemory shm = SharedMemory.open(dev.sharedstruct.Handle.parse(args[1]).region())) {
                MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, 16, arena);
                // Warm up on mapped memory too (as sharedstruct's workers do): memory of another
                // kind would leave the JIT two segment classes to dispatch on in the timed loop.
                MemorySegment own = channel.map(FileChannel.MapMode.PRIVATE, 0, 16, arena);
                StartLine start = shm.attach(args[1], StartLine.class);
                long ops = Long.parseLong(args[2]);
                System.out.println(timed(start, n -> increment(own, n), () -> increment(memory, ops)));
            }
        }

        private static void increment(MemorySegment memory, long ops) {
            for (long i = 0; i < ops; i++) {
                while (!LOCK.compareAndSet(memory, 0L, 0, 1)) {
                    Thread.onSpinWait();
                }
                COUNTER.set(memory, 8L, (long) COUNTER.get(memory, 8L) + 1);
                LOCK.setRelease(memory, 0L, 0);
            }
        }
    }
}
