package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A shared array of {@code float}: C {@code float}; Python typecode {@code 'f'}. Made by
 * {@link SharedMemory#array(TypeCode, int)}; see {@link SharedPrimitiveArray} for locking.
 */
public final class SharedFloatArray extends SharedPrimitiveArray {

    SharedFloatArray(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * Element {@code index}: Python's {@code a[index]}.
     *
     * @param index the element's index, from 0
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    public float get(int index) {
        long offset = offsetOf(index);
        lock();
        try {
            return segment.get(JAVA_FLOAT, offset);
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
    public void set(int index, float value) {
        long offset = offsetOf(index);
        lock();
        try {
            segment.set(JAVA_FLOAT, offset, value);
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
    public float[] getRange(int from, int to) {
        float[] values = new float[rangeCount(from, to)];
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
    public void setRange(int from, float[] values) {
        Objects.requireNonNull(values, "values");
        copyIn(from, values, values.length);
    }

    /**
     * Sets every element to {@code value}, as one step.
     *
     * @param value the value for every element
     */
    public void fill(float value) {
        lock();
        try {
            for (int i = 0; i < length; i++) {
                segment.setAtIndex(JAVA_FLOAT, i, value);
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
    public float[] toArray() {
        return getRange(0, length);
    }

    @Override
    SharedFloatArray rebind(MemorySegment segment, SharedLock lock) {
        return new SharedFloatArray(typeCode(), memory, segment, lock);
    }

    @Override
    String elementsToString(int count) {
        return Arrays.toString(getRange(0, count));
    }
}
