package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * A shared {@code int}: C {@code int32_t}; Python typecodes {@code 'i'}, {@code 'I'} (unsigned: read it with {@code Integer.toUnsignedLong}) and {@code 'u'} ({@code wchar_t}, a code point). Made by
 * {@link SharedMemory#value(TypeCode)}; see {@link SharedPrimitiveValue}.
 */
public final class SharedIntValue extends SharedPrimitiveValue {

    SharedIntValue(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * The value: Python's {@code v.value}.
     *
     * @return the value
     */
    public int get() {
        lock();
        try {
            return segment.get(JAVA_INT, 0L);
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
    public void set(int value) {
        lock();
        try {
            segment.set(JAVA_INT, 0L, value);
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
    public int update(IntUnaryOperator op) {
        Objects.requireNonNull(op, "op");
        lock();
        try {
            int next = op.applyAsInt(segment.get(JAVA_INT, 0L));
            segment.set(JAVA_INT, 0L, next);
            return next;
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    @Override
    SharedIntValue rebind(MemorySegment segment, SharedLock lock) {
        return new SharedIntValue(typeCode(), memory, segment, lock);
    }

    @Override
    String valueToString() {
        return String.valueOf(get());
    }
}
