package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A shared {@code float}: C {@code float}; Python typecode {@code 'f'}. Made by
 * {@link SharedMemory#value(TypeCode)}; see {@link SharedPrimitiveValue}.
 */
public final class SharedFloatValue extends SharedPrimitiveValue {

    SharedFloatValue(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * The value: Python's {@code v.value}.
     *
     * @return the value
     */
    public float get() {
        lock();
        try {
            return segment.get(JAVA_FLOAT, 0L);
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
    public void set(float value) {
        lock();
        try {
            segment.set(JAVA_FLOAT, 0L, value);
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
    public float update(DoubleUnaryOperator op) {
        Objects.requireNonNull(op, "op");
        lock();
        try {
            float next = (float) op.applyAsDouble(segment.get(JAVA_FLOAT, 0L));
            segment.set(JAVA_FLOAT, 0L, next);
            return next;
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    @Override
    SharedFloatValue rebind(MemorySegment segment, SharedLock lock) {
        return new SharedFloatValue(typeCode(), memory, segment, lock);
    }

    @Override
    String valueToString() {
        return String.valueOf(get());
    }
}
