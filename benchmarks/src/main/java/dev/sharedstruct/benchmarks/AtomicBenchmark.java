package dev.sharedstruct.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The generated lock-free getAndAdd against AtomicLong and a hand-written VarHandle on the same memory. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AtomicBenchmark {
    private static final VarHandle LONG_AT = JAVA_LONG.varHandle();

    private SharedMemory shm;
    private BenchCounter counter;
    private MemorySegment segment;
    private final AtomicLong atomic = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        shm = SharedMemory.create(1 << 20);
        counter = shm.value(BenchCounter.class);
        segment = Structs.segment(counter);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        shm.close();
    }

    @Benchmark
    public long generatedGetAndAdd() {
        return counter.getAndAddCount(1);
    }

    @Benchmark
    public long varHandleGetAndAdd() {
        return (long) LONG_AT.getAndAdd(segment, 0L, 1L);
    }

    @Benchmark
    public long atomicLongGetAndAdd() {
        return atomic.getAndAdd(1);
    }
}
