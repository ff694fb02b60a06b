package dev.sharedstruct;

import java.lang.foreign.MemorySegment;

/**
 * One primitive value in shared memory: Python's {@code Value('i', 7)} and
 * {@code RawValue('d', 0.5)}. The typed subclasses have {@code get}, {@code set}, and an
 * {@code update(op)} that reads, applies and writes under the lock as one step: Python's
 * {@code with v.get_lock(): v.value += 1}, which a plain {@code v.value += 1} is not.
 */
public abstract sealed class SharedPrimitiveValue extends SharedObject
        permits SharedBooleanValue, SharedByteValue, SharedShortValue, SharedCharValue, SharedIntValue,
        SharedLongValue, SharedFloatValue, SharedDoubleValue {
    private final TypeCode<?, ?, ?> typeCode;

    SharedPrimitiveValue(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(memory, segment, lock);
        this.typeCode = typeCode;
    }

    /**
     * The value's type, with its Python typecode.
     *
     * @return the typecode
     */
    public final TypeCode<?, ?, ?> typeCode() {
        return typeCode;
    }



    /** The value as Java shows it. */
    abstract String valueToString();

    @Override
    final ObjectSpec<?> spec() {
        return ObjectSpec.primitiveValue(typeCode);
    }

    @Override
    String kind() {
        return getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return kind() + "('" + typeCode.code() + "', " + valueToString() + ")";
    }
}
