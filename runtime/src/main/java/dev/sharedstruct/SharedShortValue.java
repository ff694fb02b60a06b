package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * A shared {@code short}: C {@code int16_t}; Python typecodes {@code 'h'} and {@code 'H'} (unsigned: read it with {@code Short.toUnsignedInt}). Made by
 * {@link SharedMemory#value(TypeCode)}; see {@link SharedPrimitiveValue}.
 */
public final class SharedShortValue extends SharedPrimitiveValue {

    SharedShortValue(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * The value: Python's {@code v.value}.
     *
     * @return the value
     */
    public short get() {
        lock();
        try {
            return segment.get(JAVA_SHORT, 0L);
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
    public void set(short value) {
        lock();
        try {
            segment.set(JAVA_SHORT, 0L, value);
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
    public short update(IntUnaryOperator op) {
        Objects.requireNonNull(op, "op");
        lock();
        try {
            short next = (short) op.applyAsInt(segment.get(JAVA_SHORT, 0L));
            segment.set(JAVA_SHORT, 0L, next);
            return next;
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    @Override
    SharedShortValue rebind(MemorySegment segment, SharedLock lock) {
        return new SharedShortValue(typeCode(), memory, segment, lock);
    }

    @Override
    String valueToString() {
        return String.valueOf(get());
    }
}
