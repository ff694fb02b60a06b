package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_CHAR;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * A shared {@code char}: C {@code uint16_t}, a UTF-16 unit; Python reads it with typecode {@code 'H'}. Made by
 * {@link SharedMemory#value(TypeCode)}; see {@link SharedPrimitiveValue}.
 */
public final class SharedCharValue extends SharedPrimitiveValue {

    SharedCharValue(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * The value: Python's {@code v.value}.
     *
     * @return the value
     */
    public char get() {
        lock();
        try {
            return segment.get(JAVA_CHAR, 0L);
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
    public void set(char value) {
        lock();
        try {
            segment.set(JAVA_CHAR, 0L, value);
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
    public char update(IntUnaryOperator op) {
        Objects.requireNonNull(op, "op");
        lock();
        try {
            char next = (char) op.applyAsInt(segment.get(JAVA_CHAR, 0L));
            segment.set(JAVA_CHAR, 0L, next);
            return next;
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    @Override
    SharedCharValue rebind(MemorySegment segment, SharedLock lock) {
        return new SharedCharValue(typeCode(), memory, segment, lock);
    }

    @Override
    String valueToString() {
        return String.valueOf(get());
    }
}
