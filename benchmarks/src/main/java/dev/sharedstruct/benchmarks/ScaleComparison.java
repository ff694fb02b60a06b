package dev.sharedstruct.benchmarks;

import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.TypeCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How region metadata scales (issue 10 item 5), side by side in one run so that a loaded machine
 * moves both columns alike: per-operation {@code find} and {@code findOrCreate} of an existing
 * name with few names against many, the time to create the many names, and allocate + free of a
 * 256-byte array with no free blocks against many scattered free blocks too small for it. Each
 * figure is the best of {@code rounds} alternating rounds. The table is the only output.
 *
 * <p>Usage: {@code ScaleComparison [names] [holes] [rounds] [operations]} (defaults 100000 50000 3
 * 200000: operations timed per figure); run by {@code benchmarks/scale.sh}.
 */
public final class ScaleComparison {
    private static final int FEW_NAMES = 100;
    private static int operations = 200_000;

    private ScaleComparison() {
    }

    public static void main(String[] args) {
        int names = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int holes = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        operations = args.length > 3 ? Integer.parseInt(args[3]) : operations;
        if (names < FEW_NAMES || holes < 1 || rounds < 1 || operations < 1) {
            throw new IllegalArgumentException("usage: ScaleComparison [names >= " + FEW_NAMES
                    + "] [holes >= 1] [rounds >= 1] [operations >= 1]");
        }
        // About 800 bytes per named struct (object, layout text, entry); room to spare.
        long namesBytes = Math.max(16L << 20, 1600L * names);
        long holesBytes = Math.max(16L << 20, 400L * holes);
        double createSeconds = Double.MAX_VALUE;
        double[] find = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] findOrCreate = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] allocateFree = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int round = 0; round < rounds; round++) {
            try (SharedMemory few = SharedMemory.create(namesBytes); SharedMemory many = SharedMemory.create(namesBytes)) {
                createNames(few, FEW_NAMES);
                long start = System.nanoTime();
                createNames(many, names);
                createSeconds = Math.min(createSeconds, (System.nanoTime() - start) / 1e9);
                SharedMemory[] regions = {few, many};
                int[] counts = {FEW_NAMES, names};
                for (int i = 0; i < 2; i++) {
                    SharedMemory shm = regions[i];
                    int count = counts[i];
                    find[i] = Math.min(find[i], perOperation(() -> finds(shm, count, false)));
                    findOrCreate[i] = Math.min(findOrCreate[i], perOperation(() -> finds(shm, count, true)));
                }
            }
            try (SharedMemory none = SharedMemory.create(holesBytes); SharedMemory scattered = SharedMemory.create(holesBytes)) {
                makeHoles(scattered, holes);
                SharedMemory[] regions = {none, scattered};
                for (int i = 0; i < 2; i++) {
                    SharedMemory shm = regions[i];
                    allocateFree[i] = Math.min(allocateFree[i], perOperation(() -> allocateAndFree(shm)));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-44s %14s %14s %8s%n", "operation (best of " + rounds + ")", "few", "many", "ratio");
        row("find, ns/op (" + FEW_NAMES + " vs " + names + " names)", find);
        row("findOrCreate existing, ns/op (same)", findOrCreate);
        row("allocate+free, ns/op (0 vs " + holes + " holes)", allocateFree);
        System.out.printf(Locale.ROOT, "%-44s %14s %14.3f%n", "create " + names + " names, s", "", createSeconds);
    }

    private static void row(String what, double[] nanos) {
        System.out.printf(Locale.ROOT, "%-44s %14.1f %14.1f %7.2fx%n", what, nanos[0], nanos[1], nanos[1] / nanos[0]);
    }

    private static void createNames(SharedMemory shm, int count) {
        for (int i = 0; i < count; i++) {
            shm.findOrCreate("name-" + i, BenchPoint.class);
        }
    }

    /** Nanoseconds per operation of {@code work}, which returns how many operations it did. */
    private static double perOperation(java.util.function.IntSupplier work) {
        work.getAsInt(); // warm up
        long start = System.nanoTime();
        int done = work.getAsInt();
        return (System.nanoTime() - start) / (double) done;
    }

    /** Finds (or finds-or-creates) existing names spread over the whole directory. */
    private static int finds(SharedMemory shm, int count, boolean orCreate) {
        long sink = 0;
        int stride = 7919; // a prime: visits names all over the directory, not one bucket
        for (int i = 0; i < operations; i++) {
            String name = "name-" + (int) ((long) i * stride % count);
            Object found = orCreate ? shm.findOrCreate(name, BenchPoint.class) : shm.find(name, BenchPoint.class).orElseThrow();
            sink += found.hashCode();
        }
        return sink == 42 ? operations + 1 : operations;
    }

    /**
     * Leaves {@code holes} free blocks of the smallest size, each between two live ones so that
     * they cannot merge: none fits the 256-byte arrays that {@link #allocateAndFree} asks for.
     */
    private static void makeHoles(SharedMemory shm, int holes) {
        List<Object> freed = new ArrayList<>();
        for (int i = 0; i < holes; i++) {
            freed.add(shm.rawValue(TypeCode.LONG));
            shm.rawValue(TypeCode.LONG);
        }
        for (Object hole : freed) {
            shm.free(hole);
        }
    }

    private static int allocateAndFree(SharedMemory shm) {
        for (int i = 0; i < operations; i++) {
            SharedLongArray array = shm.rawArray(TypeCode.LONG, 32);
            shm.free(array);
        }
        return operations;
    }
}
