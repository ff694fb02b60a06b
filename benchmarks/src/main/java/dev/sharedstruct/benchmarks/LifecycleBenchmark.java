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
 * What an object's life costs: allocate a struct and free it, synchronized (own lock) and raw.
 * With native access each object has its own FFM scope, and free closes it (a handshake with
 * every thread of the JVM), so this is where that cost shows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LifecycleBenchmark {
    private SharedMemory shm;

    @Setup(Level.Trial)
    public void setUp() {
        shm = SharedMemory.create(1 << 20);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        shm.close();
    }

    @Benchmark
    public void valueAndFree() {
        shm.free(shm.value(BenchPoint.class));
    }

    @Benchmark
    public void rawValueAndFree() {
        shm.free(shm.rawValue(BenchPoint.class));
    }
}
