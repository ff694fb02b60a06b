package dev.sharedstruct.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.UnsafeBuffer;
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
 * Single-threaded accessor cost on one segment: the generated raw accessors against a
 * hand-written {@code VarHandle} and Agrona's {@code UnsafeBuffer} at the same address, and the
 * generated locked accessors against a {@code ReentrantLock}-guarded field of a plain object.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Agrona 2 reads jdk.internal.misc.Unsafe, which the JDK exports to it only on request.
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class AccessorBenchmark {
    private static final VarHandle DOUBLE_AT = JAVA_DOUBLE.varHandle();
    private static final VarHandle UNALIGNED_DOUBLE_AT = java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED.varHandle();

    private SharedMemory shm;
    private BenchPoint raw;
    private BenchPoint locked;
    private MemorySegment segment;
    private UnsafeBuffer agrona;
    private MemorySegment unscoped;
    private final GuardedPoint guarded = new GuardedPoint();
    private HandWrittenPoint handWritten;

    /**
     * What a user writing FFM by hand would write: an object holding the segment, with a
     * VarHandle per field. The generated raw view is exactly this shape.
     */
    static final class HandWrittenPoint {
        private final MemorySegment segment;

        HandWrittenPoint(MemorySegment segment) {
            this.segment = segment;
        }

        double x() {
            return (double) DOUBLE_AT.get(segment, 0L);
        }

        void x(double value) {
            DOUBLE_AT.set(segment, 0L, value);
        }
    }
    private double next = 1;

    /** The plain-object baseline: a field behind a ReentrantLock. */
    static final class GuardedPoint {
        private final ReentrantLock lock = new ReentrantLock();
        private double x;

        double x() {
            lock.lock();
            try {
                return x;
            } finally {
                lock.unlock();
            }
        }

        void x(double value) {
            lock.lock();
            try {
                x = value;
            } finally {
                lock.unlock();
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        shm = SharedMemory.create(1 << 20);
        locked = shm.value(BenchPoint.class);
        raw = Structs.raw(locked);
        segment = Structs.segment(raw);
        agrona = new UnsafeBuffer(segment.address(), (int) segment.byteSize());
        handWritten = new HandWrittenPoint(segment);
        unscoped = unscoped(segment);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        shm.close();
    }

    @Benchmark
    public double rawGet() {
        return raw.x();
    }

    @Benchmark
    public double varHandleGet() {
        return (double) DOUBLE_AT.get(segment, 0L);
    }

    @Benchmark
    public double handWrittenGet() {
        return handWritten.x();
    }

    @Benchmark
    public void handWrittenSet() {
        handWritten.x(next++);
    }

    /** The same memory as a segment of the global scope: no liveness check, as Agrona has none. */
    @SuppressWarnings("restricted")
    private static MemorySegment unscoped(MemorySegment segment) {
        return MemorySegment.ofAddress(segment.address()).reinterpret(segment.byteSize());
    }

    /** Where the gap to Agrona comes from: the same VarHandle read without the shared arena's liveness check. */
    @Benchmark
    public double unscopedVarHandleGet() {
        return (double) DOUBLE_AT.get(unscoped, 0L);
    }

    /** The same read with the alignment check left out, as code that verified alignment up front may. */
    @Benchmark
    public double unalignedVarHandleGet() {
        return (double) UNALIGNED_DOUBLE_AT.get(segment, 0L);
    }

    @Benchmark
    public double agronaGet() {
        return agrona.getDouble(0);
    }

    @Benchmark
    public void agronaSet() {
        agrona.putDouble(0, next++);
    }

    @Benchmark
    public void rawSet() {
        raw.x(next++);
    }

    @Benchmark
    public void varHandleSet() {
        DOUBLE_AT.set(segment, 0L, next++);
    }

    @Benchmark
    public double lockedGet() {
        return locked.x();
    }

    @Benchmark
    public double reentrantLockGet() {
        return guarded.x();
    }

    @Benchmark
    public void lockedSet() {
        locked.x(next++);
    }

    @Benchmark
    public void reentrantLockSet() {
        guarded.x(next++);
    }
}
