package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * A shared {@code long}: C {@code int64_t}; Python typecodes {@code 'l'}, {@code 'q'}, and {@code 'L'}, {@code 'Q'} (unsigned: use {@code Long.toUnsignedString}, {@code Long.compareUnsigned}, {@code Long.divideUnsigned}). Made by
 * {@link SharedMemory#value(TypeCode)}; see {@link SharedPrimitiveValue}.
 */
public final class SharedLongValue extends SharedPrimitiveValue {

    SharedLongValue(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * The value: Python's {@code v.value}.
     *
     * @return the value
     */
    public long get() {
        lock();
        try {
            return segment.get(JAVA_LONG, 0L);
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
    public void set(long value) {
        lock();
        try {
            segment.set(JAVA_LONG, 0L, value);
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
    public long update(LongUnaryOperator op) {
        Objects.requireNonNull(op, "op");
        lock();
        try {
            long next = op.applyAsLong(segment.get(JAVA_LONG, 0L));
            segment.set(JAVA_LONG, 0L, next);
            return next;
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    @Override
    SharedLongValue rebind(MemorySegment segment, SharedLock lock) {
        return new SharedLongValue(typeCode(), memory, segment, lock);
    }

    @Override
    String valueToString() {
        return String.valueOf(get());
    }
}
