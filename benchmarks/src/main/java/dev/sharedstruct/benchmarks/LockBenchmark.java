package dev.sharedstruct.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An uncontended locked increment, every way a user might write it, against a
 * {@code ReentrantLock}-guarded field, a {@code synchronized} field, and a hand-written
 * compare-and-set spin lock on the same kind of memory.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockBenchmark {
    private static final VarHandle INT_AT = JAVA_INT.varHandle();
    private static final VarHandle LONG_AT = JAVA_LONG.varHandle();

    private SharedMemory shm;
    private BenchCounter locked;
    private BenchCounter raw;
    private SharedLock lock;
    private MemorySegment spin;
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final Object monitor = new Object();
    private long plainCount;

    @Setup(Level.Trial)
    public void setUp() {
        shm = SharedMemory.create(1 << 20);
        locked = shm.value(BenchCounter.class);
        raw = Structs.raw(locked);
        lock = Structs.lock(locked);
        spin = Structs.segment(shm.rawArray(TypeCode.LONG, 2));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        shm.close();
    }

    /** The Python idiom: {@code with v.get_lock(): v.value += 1}, the accessors re-entering the held lock. */
    @Benchmark
    public void lockedAccessorsIncrement() {
        try (var _ = lock.acquire()) {
            locked.count(locked.count() + 1);
        }
    }

    /** The idiom: the lock looked up on the struct in every iteration, {@code acquire()} in try-with-resources. */
    @Benchmark
    public void structsLockAcquireIncrement() {
        try (var _ = Structs.lock(locked).acquire()) {
            locked.count(locked.count() + 1);
        }
    }

    /** {@code acquire()} and {@code close()} alone: must allocate nothing ({@code -prof gc}). */
    @Benchmark
    public void acquireAndClose() {
        lock.acquire().close();
    }

    /** The lock held once around raw accessors. */
    @Benchmark
    public void lockAroundRawIncrement() {
        lock.lock();
        try {
            raw.count(raw.count() + 1);
        } finally {
            lock.unlock();
        }
    }

    /** The generated read-modify-write under the lock. */
    @Benchmark
    public long updateIncrement() {
        return locked.updateCount(v -> v + 1);
    }

    @Benchmark
    public void reentrantLockIncrement() {
        reentrantLock.lock();
        try {
            plainCount++;
        } finally {
            reentrantLock.unlock();
        }
    }

    @Benchmark
    public void synchronizedIncrement() {
        synchronized (monitor) {
            plainCount++;
        }
    }

    /** The ceiling: a compare-and-set spin lock word and a plain increment, hand-written on a segment. */
    @Benchmark
    public void spinLockIncrement() {
        while (!INT_AT.compareAndSet(spin, 0L, 0, 1)) {
            Thread.onSpinWait();
        }
        LONG_AT.set(spin, 8L, (long) LONG_AT.get(spin, 8L) + 1);
        INT_AT.setRelease(spin, 0L, 0);
    }
}
