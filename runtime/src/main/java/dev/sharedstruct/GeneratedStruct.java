package dev.sharedstruct;

import java.lang.foreign.MemorySegment;

/**
 * The base class of every generated struct implementation: where the struct lives, and the lock
 * its accessors take (none for a raw view). Not meant to be extended by hand.
 *
 * <p>{@code equals}, {@code hashCode} and {@code toString} compare and show field values. A
 * synchronized struct reads them from a snapshot taken under its lock, so they see one consistent
 * state; two structs are never locked at once, so {@code a.equals(b)} cannot deadlock with
 * {@code b.equals(a)}. Like a mutable collection's, the hash code changes with the content.
 */
public abstract class GeneratedStruct {
    final StructType<?> type;
    final SharedMemory memory;
    /** The struct's memory, exactly the size of its layout. */
    protected final MemorySegment segment;
    /** The lock every accessor takes; null in a raw view. */
    protected final SharedLock lock;

    protected GeneratedStruct(StructType<?> type, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        this.type = type;
        this.memory = memory;
        this.segment = segment;
        this.lock = lock;
    }

    /** The struct's bytes: the live memory of a raw view, a snapshot under the lock otherwise. */
    final MemorySegment content() {
        if (lock == null) {
            return segment;
        }
        // long[] backing keeps 8-byte alignment, which the layout's var handles check.
        MemorySegment copy = MemorySegment.ofArray(new long[(int) ((segment.byteSize() + 7) / 8)]);
        lock.lock();
        try {
            MemorySegment.copy(segment, 0, copy, 0, segment.byteSize());
        } finally {
            lock.unlock();
        }
        return copy;
    }

    @Override
    public final boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        return other instanceof GeneratedStruct that
                && that.type == type
                && type.contentEquals(content(), that.content());
    }

    @Override
    public final int hashCode() {
        return type.contentHashCode(content());
    }

    @Override
    public final String toString() {
        return type.describe(content());
    }
}
