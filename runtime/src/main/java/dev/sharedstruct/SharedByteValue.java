package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * A shared {@code byte}: C {@code int8_t}; Python typecodes {@code 'b'} and {@code 'B'} (unsigned: read it with {@code Byte.toUnsignedInt}). Made by
 * {@link SharedMemory#value(TypeCode)}; see {@link SharedPrimitiveValue}.
 */
public final class SharedByteValue extends SharedPrimitiveValue {

    SharedByteValue(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * The value: Python's {@code v.value}.
     *
     * @return the value
     */
    public byte get() {
        lock();
        try {
            return segment.get(JAVA_BYTE, 0L);
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
    public void set(byte value) {
        lock();
        try {
            segment.set(JAVA_BYTE, 0L, value);
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
    public byte update(IntUnaryOperator op) {
        Objects.requireNonNull(op, "op");
        lock();
        try {
            byte next = (byte) op.applyAsInt(segment.get(JAVA_BYTE, 0L));
            segment.set(JAVA_BYTE, 0L, next);
            return next;
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    @Override
    SharedByteValue rebind(MemorySegment segment, SharedLock lock) {
        return new SharedByteValue(typeCode(), memory, segment, lock);
    }

    @Override
    String valueToString() {
        return String.valueOf(get());
    }
}
