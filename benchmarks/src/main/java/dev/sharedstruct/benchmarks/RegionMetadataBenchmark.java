package dev.sharedstruct.benchmarks;

import dev.sharedstruct.SharedMemory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of region metadata operations, one thread: allocate + free of a small struct (with 20
 * other blocks live and 20 holes in the free bins), findOrCreate of an existing name among 20, and
 * findOrCreate of a new name followed by freeing it (three blocks and an entry, under one intent).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RegionMetadataBenchmark {
    private SharedMemory shm;

    @Setup(Level.Trial)
    public void setUp() {
        shm = SharedMemory.create(4 << 20);
        for (int i = 0; i < 20; i++) {
            shm.findOrCreate("name-" + i, BenchPoint.class);
            Object hole = shm.rawValue(BenchPoint.class);
            shm.rawValue(BenchPoint.class);
            shm.free(hole);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        shm.close();
    }

    @Benchmark
    public void allocateAndFree() {
        shm.free(shm.rawValue(BenchPoint.class));
    }

    @Benchmark
    public Object findOrCreateExisting() {
        return shm.findOrCreate("name-7", BenchPoint.class);
    }

    @Benchmark
    public void findOrCreateNewAndFree() {
        shm.free(shm.findOrCreate("fresh", BenchPoint.class));
    }
}
