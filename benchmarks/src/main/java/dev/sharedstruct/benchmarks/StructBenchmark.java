package dev.sharedstruct.benchmarks;

import dev.sharedstruct.SharedArray;
import dev.sharedstruct.SharedMemory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Copying a 10-field struct into shared memory, and printing one. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StructBenchmark {
    private SharedMemory shm;
    private TenFields source;
    private SharedArray<TenFields> target;

    @Setup(Level.Trial)
    public void setUp() {
        shm = SharedMemory.create(1 << 20);
        source = shm.value(TenFields.class);
        source.a(1);
        source.b(2);
        source.c(3.5);
        source.d((short) 4);
        source.e((byte) 5);
        source.f(6.5f);
        source.g('g');
        source.setH(true);
        source.i(9);
        source.j(10.25);
        target = shm.array(TenFields.class, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        shm.close();
    }

    /** A consistent snapshot of the locked source, copied into a locked array element. */
    @Benchmark
    public void copyInto() {
        target.set(0, source);
    }

    @Benchmark
    public String describe() {
        return source.toString();
    }
}
