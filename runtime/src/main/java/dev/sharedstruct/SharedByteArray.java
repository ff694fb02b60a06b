package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A shared array of {@code byte}: C {@code int8_t}; Python typecodes {@code 'b'} and {@code 'B'} (unsigned: read it with {@code Byte.toUnsignedInt}). Made by
 * {@link SharedMemory#array(TypeCode, int)}; see {@link SharedPrimitiveArray} for locking.
 */
public sealed class SharedByteArray extends SharedPrimitiveArray permits SharedString {

    SharedByteArray(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * Element {@code index}: Python's {@code a[index]}.
     *
     * @param index the element's index, from 0
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    public byte get(int index) {
        long offset = offsetOf(index);
        lock();
        try {
            return segment.get(JAVA_BYTE, offset);
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /**
     * Sets element {@code index}: Python's {@code a[index] = value}.
     *
     * @param index the element's index, from 0
     * @param value the value to store
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    public void set(int index, byte value) {
        long offset = offsetOf(index);
        lock();
        try {
            segment.set(JAVA_BYTE, offset, value);
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /**
     * A copy of elements {@code [from, to)}, read as one step: Python's {@code a[from:to]}.
     *
     * @param from the first index, inclusive
     * @param to the index after the last one
     * @return a new array holding the elements
     * @throws IndexOutOfBoundsException if {@code [from, to)} is not a range of the array
     */
    public byte[] getRange(int from, int to) {
        byte[] values = new byte[rangeCount(from, to)];
        copyOut(from, values, values.length);
        return values;
    }

    /**
     * Writes {@code values} from index {@code from} on, as one step: Python's
     * {@code a[from:from + len(values)] = values}. Nothing is written unless all of them fit.
     *
     * @param from the first index, inclusive
     * @param values the values to write; all must fit
     * @throws IndexOutOfBoundsException if the values do not all fit from {@code from} on; nothing is written then
     */
    public void setRange(int from, byte[] values) {
        Objects.requireNonNull(values, "values");
        copyIn(from, values, values.length);
    }

    /**
     * Sets every element to {@code value}, as one step.
     *
     * @param value the value for every element
     */
    public void fill(byte value) {
        lock();
        try {
            for (int i = 0; i < length; i++) {
                segment.setAtIndex(JAVA_BYTE, i, value);
            }
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /**
     * A copy of every element, read as one step.
     *
     * @return a new array holding every element
     */
    public byte[] toArray() {
        return getRange(0, length);
    }

    @Override
    SharedByteArray rebind(MemorySegment segment, SharedLock lock) {
        return new SharedByteArray(typeCode(), memory, segment, lock);
    }

    @Override
    String elementsToString(int count) {
        return Arrays.toString(getRange(0, count));
    }
}
