package dev.sharedstruct.benchmarks;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
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

/**
 * What the robust lock's steps cost when written by hand, and how much of it is FFM's checks:
 * every access to a segment checks the segment's class, bounds, alignment and scope (and, for
 * stores, its read-only flag), about 20 instructions, and C2 shares one such check among the
 * accesses to one segment value between two memory barriers. The same steps (the claim by
 * compare-and-set from a free word, a look at a block's generation word and at two words of
 * the cell after it, an increment, a plain look at {@code waiters}, a release store) are done here
 * through one, two or three segments over the same memory. {@code docs/LOCK.md} ("Where the
 * time goes") quotes these figures; {@code SharedLock} uses the two-segment shape (its span, and
 * the struct's own segment).
 *
 * <p>The variants are spelled out, not one helper called with different segments: with such a
 * helper all four measured the same (9.3 to 9.5 ns), so the shape of the code is part of what
 * is measured here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SegmentChecksBenchmark {
    private static final VarHandle INT_AT = JAVA_INT.varHandle();
    private static final VarHandle LONG_AT = JAVA_LONG.varHandle();
    private static final long TOKEN = ProcessHandle.current().pid() << 32 | 1;
    private static final long START = 12_345;
    private static final long GENERATION = 7;
    private static final long FREE = Long.MIN_VALUE | GENERATION;
    /** Where the pieces sit in {@link #all}: as in a block whose payload starts with its lock cell. */
    private static final long GENERATION_AT = 0;
    private static final long CELL_AT = 48;
    private static final long DATA_AT = 80;
    private static final long SPIN_WORD_AT = 96;

    private SharedMemory shm;
    private MemorySegment all;
    private MemorySegment span;
    private MemorySegment generationWord;
    private MemorySegment cell;
    private MemorySegment data;
    private long cellOffset = CELL_AT;
    private long holder;

    @Setup(Level.Trial)
    public void setUp() {
        shm = SharedMemory.create(1 << 20);
        all = Structs.segment(shm.rawArray(TypeCode.LONG, 16));
        span = all.asSlice(GENERATION_AT, DATA_AT);
        generationWord = all.asSlice(GENERATION_AT, 8);
        cell = all.asSlice(CELL_AT, 32);
        data = all.asSlice(DATA_AT, 8);
        all.set(JAVA_LONG, GENERATION_AT, GENERATION);
        all.set(JAVA_LONG, CELL_AT, FREE);
        all.set(JAVA_LONG, CELL_AT + 24, START);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        shm.close();
    }

    /** The floor: a compare-and-set spin lock around a plain increment. */
    @Benchmark
    public void spinLock() {
        while (!INT_AT.compareAndSet(all, SPIN_WORD_AT, 0, 1)) {
            Thread.onSpinWait();
        }
        LONG_AT.set(all, DATA_AT, (long) LONG_AT.get(all, DATA_AT) + 1);
        INT_AT.setRelease(all, SPIN_WORD_AT, 0);
    }

    /** The spin lock with a plain store for its claim: what the locked instruction costs (not a lock). */
    @Benchmark
    public void spinLockWithoutCompareAndSet() {
        INT_AT.setOpaque(all, SPIN_WORD_AT, 1);
        LONG_AT.set(all, DATA_AT, (long) LONG_AT.get(all, DATA_AT) + 1);
        INT_AT.setRelease(all, SPIN_WORD_AT, 0);
    }

    /** The robust steps through three segments: the generation word's, the cell's, the data's. */
    @Benchmark
    public void robustThroughThreeSegments() {
        long witness = (long) LONG_AT.compareAndExchange(cell, 0L, FREE, TOKEN);
        if (((witness ^ FREE) | ((long) LONG_AT.get(generationWord, 0L) ^ GENERATION)
                | (int) INT_AT.get(cell, 8L) | ((long) LONG_AT.get(cell, 24L) ^ START)) != 0) {
            throw new IllegalStateException();
        }
        holder = TOKEN;
        LONG_AT.set(data, 0L, (long) LONG_AT.get(data, 0L) + 1);
        holder = 0;
        if (((long) LONG_AT.get(cell, 8L) & 0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalStateException();
        }
        LONG_AT.setRelease(cell, 0L, FREE);
    }

    /** The robust steps with the generation word and the cell in one segment, at constant offsets: {@code SharedLock}'s shape. */
    @Benchmark
    public void robustThroughTwoSegments() {
        long witness = (long) LONG_AT.compareAndExchange(span, CELL_AT, FREE, TOKEN);
        if (((witness ^ FREE) | ((long) LONG_AT.get(span, GENERATION_AT) ^ GENERATION)
                | (int) INT_AT.get(span, CELL_AT + 8) | ((long) LONG_AT.get(span, CELL_AT + 24) ^ START)) != 0) {
            throw new IllegalStateException();
        }
        holder = TOKEN;
        LONG_AT.set(data, 0L, (long) LONG_AT.get(data, 0L) + 1);
        holder = 0;
        if (((long) LONG_AT.get(span, CELL_AT + 8) & 0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalStateException();
        }
        LONG_AT.setRelease(span, CELL_AT, FREE);
    }

    /**
     * As {@link #robustThroughTwoSegments()} without the look after the compare-and-set at the
     * generation word and the cell's words (not a lock one could ship: the look is what keeps a
     * claim on a freed block's forged free word from writing into another object). What the look
     * costs is FFM's check of the span after the barrier rather than its reads.
     */
    @Benchmark
    public void robustThroughTwoSegmentsWithoutTheLook() {
        long witness = (long) LONG_AT.compareAndExchange(span, CELL_AT, FREE, TOKEN);
        if (witness != FREE) {
            throw new IllegalStateException();
        }
        holder = TOKEN;
        LONG_AT.set(data, 0L, (long) LONG_AT.get(data, 0L) + 1);
        holder = 0;
        if (((long) LONG_AT.get(span, CELL_AT + 8) & 0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalStateException();
        }
        LONG_AT.setRelease(span, CELL_AT, FREE);
    }

    /** As {@link #robustThroughTwoSegments()}, with the cell's offset read from a field: the bounds checks no longer fold. */
    @Benchmark
    public void robustThroughTwoSegmentsAtFieldOffset() {
        long at = cellOffset;
        long witness = (long) LONG_AT.compareAndExchange(span, at, FREE, TOKEN);
        if (((witness ^ FREE) | ((long) LONG_AT.get(span, GENERATION_AT) ^ GENERATION)
                | (int) INT_AT.get(span, at + 8) | ((long) LONG_AT.get(span, at + 24) ^ START)) != 0) {
            throw new IllegalStateException();
        }
        holder = TOKEN;
        LONG_AT.set(data, 0L, (long) LONG_AT.get(data, 0L) + 1);
        holder = 0;
        at = cellOffset;
        if (((long) LONG_AT.get(span, at + 8) & 0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalStateException();
        }
        LONG_AT.setRelease(span, at, FREE);
    }

    /** The robust steps through one segment for everything: what a lock sharing its struct's segment value would pay. */
    @Benchmark
    public void robustThroughOneSegment() {
        long witness = (long) LONG_AT.compareAndExchange(all, CELL_AT, FREE, TOKEN);
        if (((witness ^ FREE) | ((long) LONG_AT.get(all, GENERATION_AT) ^ GENERATION)
                | (int) INT_AT.get(all, CELL_AT + 8) | ((long) LONG_AT.get(all, CELL_AT + 24) ^ START)) != 0) {
            throw new IllegalStateException();
        }
        holder = TOKEN;
        LONG_AT.set(all, DATA_AT, (long) LONG_AT.get(all, DATA_AT) + 1);
        holder = 0;
        if (((long) LONG_AT.get(all, CELL_AT + 8) & 0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalStateException();
        }
        LONG_AT.setRelease(all, CELL_AT, FREE);
    }
}
