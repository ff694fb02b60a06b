package dev.sharedstruct;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import dev.sharedstruct.internal.StructType;
import dev.sharedstruct.internal.region.Allocator;
import dev.sharedstruct.internal.region.LayoutDescription;

/**
 * What to allocate for one object and how to recognise it later: the block kind, size, type name,
 * fingerprint and layout that the directory and handles record, and how to make the Java view.
 *
 * @param typeName the interface's binary name, or {@code 'd'} for a typecode
 * @param length elements of an array, 1 otherwise
 */
record ObjectSpec<T>(short kind, long bytes, String typeName, long fingerprint, String layout, int length,
        Factory<T> factory) {

    Identity identity() {
        return new Identity(kind, typeName, fingerprint, length);
    }

    /** The same kind of object, {@code length} elements long (for arrays found by name). */
    ObjectSpec<T> withLength(int length, long bytes) {
        return new ObjectSpec<>(kind, bytes, typeName, fingerprint, layout, length, factory);
    }

    /** Makes the Java view of an object over its memory. */
    interface Factory<T> {
        T create(SharedMemory memory, MemorySegment segment, SharedLock lock);
    }

    static <T> ObjectSpec<T> struct(StructType<T> type) {
        return new ObjectSpec<>(Allocator.Kind.STRUCT, type.layout().byteSize(), type.type().getName(), type.fingerprint(),
                LayoutDescription.of(type.layout()), 1, type::wrap);
    }

    static <T> ObjectSpec<SharedArray<T>> structArray(StructType<T> type, int length) {
        return new ObjectSpec<>(Allocator.Kind.STRUCT_ARRAY, arrayBytes(length, type.layout().byteSize(),
                type.type().getSimpleName()), type.type().getName(), type.fingerprint(), LayoutDescription.of(type.layout()),
                length, (memory, segment, lock) -> new SharedArray<>(type, memory, segment, lock));
    }

    static <A extends SharedPrimitiveArray> ObjectSpec<A> primitiveArray(TypeCode<A, ?, ?> code, int length) {
        Objects.requireNonNull(code, "code");
        return new ObjectSpec<>(Allocator.Kind.PRIMITIVE_ARRAY, arrayBytes(length, code.size(), "'" + code.code() + "'"),
                code.name(), code.code(), code.cType() + "[" + length + "]", length, code::array);
    }

    static <V extends SharedPrimitiveValue> ObjectSpec<V> primitiveValue(TypeCode<?, ?, V> code) {
        Objects.requireNonNull(code, "code");
        return new ObjectSpec<>(Allocator.Kind.PRIMITIVE_VALUE, code.size(), code.name(), code.code(), code.cType(), 1,
                code::value);
    }

    /** Bytes of {@code length} elements of {@code size}, refusing empty arrays and overflow. */
    private static long arrayBytes(int length, long size, String element) {
        if (length < 1) {
            throw new IllegalArgumentException("an array of " + element + " needs at least 1 element, asked for " + length);
        }
        try {
            return Math.multiplyExact(length, size);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(length + " elements of " + size + " bytes overflow a long", e);
        }
    }
}
