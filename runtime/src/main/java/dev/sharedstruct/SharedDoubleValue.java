package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A shared {@code double}: C {@code double}; Python typecode {@code 'd'}. Made by
 * {@link SharedMemory#value(TypeCode)}; see {@link SharedPrimitiveValue}.
 */
public final class SharedDoubleValue extends SharedPrimitiveValue {

    SharedDoubleValue(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * The value: Python's {@code v.value}.
     *
     * @return the value
     */
    public double get() {
        lock();
        try {
            return segment.get(JAVA_DOUBLE, 0L);
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /**
     * Sets the value: Python's {@code v.value = value}.
     *
     * @param value the new value
     */
    public void set(double value) {
        lock();
        try {
            segment.set(JAVA_DOUBLE, 0L, value);
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /**
     * Replaces the value with {@code op} applied to it and returns the new value, as one step
     * under the lock. On a raw value nothing makes the step atomic.
     *
     * @param op the function from the current value to the new one
     * @return the new value
     */
    public double update(DoubleUnaryOperator op) {
        Objects.requireNonNull(op, "op");
        lock();
        try {
            double next = op.applyAsDouble(segment.get(JAVA_DOUBLE, 0L));
            segment.set(JAVA_DOUBLE, 0L, next);
            return next;
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    @Override
    SharedDoubleValue rebind(MemorySegment segment, SharedLock lock) {
        return new SharedDoubleValue(typeCode(), memory, segment, lock);
    }

    @Override
    String valueToString() {
        return String.valueOf(get());
    }
}
