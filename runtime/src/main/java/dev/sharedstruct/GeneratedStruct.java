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
    /** The region the struct lives in. */
    protected final SharedMemory memory;
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

    /** A view of the struct of {@code type} embedded at {@code offset}, sharing this struct's lock. */
    protected final <T> T nested(StructType<T> type, long offset) {
        return type.wrap(memory, segment.asSlice(offset, type.layout().byteSize()), lock);
    }

    /** A view of element {@code index} of an embedded array of {@code length} structs at {@code offset}. */
    protected final <T> T nestedAt(StructType<T> type, long offset, int index, int length, String field) {
        long size = type.layout().byteSize();
        return type.wrap(memory, segment.asSlice(offset + StructSupport.checkIndex(index, length, field) * size, size), lock);
    }

    /**
     * The content of {@code value} to copy into a field: read under its own lock if it has one,
     * before the caller takes its lock, so that two structs are never locked at once.
     */
    protected static MemorySegment contentOf(Object value, StructType<?> type, String field) {
        java.util.Objects.requireNonNull(value, () -> field + " must not be null");
        if (!(value instanceof GeneratedStruct struct) || struct.type != type) {
            throw new IllegalArgumentException(field + ": " + value.getClass().getName() + " is not a shared "
                    + type.type().getSimpleName() + "; copy from a struct made by SharedMemory");
        }
        return struct.content();
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
