package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A shared {@code boolean}: C {@code bool}; Python's {@code c_bool} ({@code '?'}). Made by
 * {@link SharedMemory#value(TypeCode)}; see {@link SharedPrimitiveValue}.
 */
public final class SharedBooleanValue extends SharedPrimitiveValue {

    SharedBooleanValue(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * The value: Python's {@code v.value}.
     *
     * @return the value
     */
    public boolean get() {
        lock();
        try {
            return segment.get(JAVA_BOOLEAN, 0L);
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
    public void set(boolean value) {
        lock();
        try {
            segment.set(JAVA_BOOLEAN, 0L, value);
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
    public boolean update(UnaryOperator<Boolean> op) {
        Objects.requireNonNull(op, "op");
        lock();
        try {
            boolean next = op.apply(segment.get(JAVA_BOOLEAN, 0L));
            segment.set(JAVA_BOOLEAN, 0L, next);
            return next;
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    @Override
    SharedBooleanValue rebind(MemorySegment segment, SharedLock lock) {
        return new SharedBooleanValue(typeCode(), memory, segment, lock);
    }

    @Override
    String valueToString() {
        return String.valueOf(get());
    }
}
