package dev.sharedstruct;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import dev.sharedstruct.internal.StructSupport;

/**
 * A fixed-length array of one primitive type in shared memory: Python's {@code Array('i', 10)}
 * and {@code RawArray('d', [...])}. The typed subclasses ({@link SharedIntArray},
 * {@link SharedDoubleArray}, ...) read and write single elements, ranges (Python's slices),
 * fill and copy out; in the synchronized form every operation, a whole range included, runs
 * under the array's lock, so a range is never seen half written.
 */
public abstract sealed class SharedPrimitiveArray extends SharedObject
        permits SharedBooleanArray, SharedByteArray, SharedShortArray, SharedCharArray, SharedIntArray,
        SharedLongArray, SharedFloatArray, SharedDoubleArray {
    /** The most elements {@code toString} shows. */
    private static final int SHOWN = 64;

    private final TypeCode<?, ?, ?> typeCode;
    final int length;

    SharedPrimitiveArray(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(memory, segment, lock);
        this.typeCode = typeCode;
        this.length = (int) (segment.byteSize() / typeCode.layout().byteSize());
    }

    /**
     * Number of elements.
     *
     * @return the number of elements
     */
    public final int length() {
        return length;
    }

    /**
     * The element type, with its Python typecode.
     *
     * @return the typecode
     */
    public final TypeCode<?, ?, ?> typeCode() {
        return typeCode;
    }

    final ValueLayout layout() {
        return typeCode.layout();
    }

    final long offsetOf(int index) {
        return StructSupport.checkIndex(index, length, "array") * layout().byteSize();
    }

    /** The count of {@code [from, to)}, checked against the array. */
    final int rangeCount(int from, int to) {
        return StructSupport.checkRange(from, to, length);
    }

    /** Checks that {@code count} elements fit from {@code from}, before anything is written. */
    final void checkFits(int from, int count) {
        StructSupport.checkFits(from, count, length);
    }



    /** Copies {@code count} elements from {@code from} into {@code array} (any primitive array but boolean[]). */
    final void copyOut(int from, Object array, int count) {
        lock();
        try {
            MemorySegment.copy(segment, layout(), from * layout().byteSize(), array, 0, count);
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /** Copies {@code count} elements of {@code array} to the array from index {@code from}. */
    final void copyIn(int from, Object array, int count) {
        checkFits(from, count);
        lock();
        try {
            MemorySegment.copy(array, 0, segment, layout(), from * layout().byteSize(), count);
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /** The elements as Java shows them, at most {@value #SHOWN}. */
    abstract String elementsToString(int count);

    @Override
    final ObjectSpec<?> spec() {
        return ObjectSpec.primitiveArray(typeCode, length);
    }

    @Override
    String kind() {
        return getClass().getSimpleName();
    }

    @Override
    public String toString() {
        int shown = Math.min(length, SHOWN);
        return kind() + "('" + typeCode.code() + "', " + length + ")" + elementsToString(shown)
                .replaceFirst("]$", shown < length ? ", ...]" : "]");
    }
}
