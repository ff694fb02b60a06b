package dev.sharedstruct;

import java.lang.foreign.MemorySegment;
import dev.sharedstruct.internal.StructSupport;
import dev.sharedstruct.internal.StructType;

/**
 * The base class of every generated struct implementation: where the struct lives, and the lock
 * its accessors take (none for a raw view). Not meant to be extended by hand.
 *
 * <p>{@code equals}, {@code hashCode} and {@code toString} compare and show field values. A
 * synchronized struct reads them from a snapshot taken under its lock, so they see one consistent
 * state; two structs are never locked at once, so {@code a.equals(b)} cannot deadlock with
 * {@code b.equals(a)}. Like a mutable collection's, the hash code changes with the content.
 */
public abstract class GeneratedStruct extends SharedObject {
    final StructType<?> type;

    /**
     * A struct of {@code type} over {@code segment}; called by generated constructors only.
     *
     * @param type the struct's generated type
     * @param memory the region the struct lives in; null for a local struct
     * @param segment the struct's memory
     * @param lock the lock the accessors take; null for a raw view
     */
    protected GeneratedStruct(StructType<?> type, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(memory, segment, lock);
        this.type = type;
    }

    @Override
    final SharedObject rebind(MemorySegment segment, SharedLock lock) {
        return (SharedObject) type.wrap(memory, segment, lock);
    }

    @Override
    final ObjectSpec<?> spec() {
        return ObjectSpec.struct(type);
    }

    @Override
    final String kind() {
        return type.type().getSimpleName();
    }

    /**
     * A view of the struct of {@code type} embedded at {@code offset}, sharing this struct's lock.
     *
     * @param <T> the nested struct's interface
     * @param type the generated type of the nested struct
     * @param offset the byte offset of the nested struct or array in this struct
     * @return a view of the nested struct
     */
    protected final <T> T nested(StructType<T> type, long offset) {
        return sameObject(type.wrap(memory, segment.asSlice(offset, type.layout().byteSize()), lock));
    }

    /**
     * A view of element {@code index} of an embedded array of {@code length} structs at {@code offset}.
     *
     * @param <T> the nested struct's interface
     * @param type the generated type of the nested struct
     * @param offset the byte offset of the nested struct or array in this struct
     * @param index the element's index, from 0
     * @param length the number of elements of the embedded array
     * @param field the field's name, for error messages
     * @return a view of the element
     */
    protected final <T> T nestedAt(StructType<T> type, long offset, int index, int length, String field) {
        long size = type.layout().byteSize();
        return sameObject(type.wrap(memory, segment.asSlice(offset + StructSupport.checkIndex(index, length, field) * size, size), lock));
    }

    /**
     * The content of {@code value} to copy into a field: read under its own lock if it has one,
     * before the caller takes its lock, so that two structs are never locked at once.
     *
     * @param value the struct whose content is copied
     * @param type the field's struct type
     * @param field the field's name, for error messages
     * @return the bytes to copy: live memory for a raw struct, a snapshot otherwise
     */
    protected static MemorySegment contentOf(Object value, StructType<?> type, String field) {
        java.util.Objects.requireNonNull(value, () -> field + " must not be null");
        if (!(value instanceof GeneratedStruct struct) || struct.type != type) {
            throw new IllegalArgumentException(field + ": " + value.getClass().getName() + " is not a shared "
                    + type.type().getSimpleName() + "; copy from a struct made by SharedMemory");
        }
        return struct.content();
    }

    /** {@link #contentOf}, as a heap copy taken now ({@link SharedObject#snapshot}). */
    static MemorySegment snapshotOf(Object value, StructType<?> type, String field) {
        contentOf(value, type, field);
        return ((GeneratedStruct) value).snapshot();
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
