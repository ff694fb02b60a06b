package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A shared array of {@code double}: C {@code double}; Python typecode {@code 'd'}. Made by
 * {@link SharedMemory#array(TypeCode, int)}; see {@link SharedPrimitiveArray} for locking.
 */
public final class SharedDoubleArray extends SharedPrimitiveArray {

    SharedDoubleArray(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * Element {@code index}: Python's {@code a[index]}.
     *
     * @param index the element's index, from 0
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    public double get(int index) {
        long offset = offsetOf(index);
        lock();
        try {
            return segment.get(JAVA_DOUBLE, offset);
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
    public void set(int index, double value) {
        long offset = offsetOf(index);
        lock();
        try {
            segment.set(JAVA_DOUBLE, offset, value);
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
    public double[] getRange(int from, int to) {
        double[] values = new double[rangeCount(from, to)];
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
    public void setRange(int from, double[] values) {
        Objects.requireNonNull(values, "values");
        copyIn(from, values, values.length);
    }

    /**
     * Sets every element to {@code value}, as one step.
     *
     * @param value the value for every element
     */
    public void fill(double value) {
        lock();
        try {
            for (int i = 0; i < length; i++) {
                segment.setAtIndex(JAVA_DOUBLE, i, value);
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
    public double[] toArray() {
        return getRange(0, length);
    }

    @Override
    SharedDoubleArray rebind(MemorySegment segment, SharedLock lock) {
        return new SharedDoubleArray(typeCode(), memory, segment, lock);
    }

    @Override
    String elementsToString(int count) {
        return Arrays.toString(getRange(0, count));
    }
}
