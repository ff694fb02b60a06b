package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;

/**
 * Python's typecodes ({@code multiprocessing.sharedctypes.typecode_to_type}) with their sizes on
 * Linux x86-64 and aarch64, so that memory laid out by Python or C reads and writes the same
 * here. {@code shm.array(TypeCode.DOUBLE, 10)} is Python's {@code Array('d', 10)}.
 *
 * <table>
 * <caption>Typecodes</caption>
 * <tr><th>code</th><th>C type</th><th>bytes</th><th>Java</th></tr>
 * <tr><td>'c'</td><td>char</td><td>1</td><td>byte ({@link SharedString} for arrays)</td></tr>
 * <tr><td>'b', 'B'</td><td>signed char, unsigned char</td><td>1</td><td>byte</td></tr>
 * <tr><td>'h', 'H'</td><td>short, unsigned short</td><td>2</td><td>short</td></tr>
 * <tr><td>'i', 'I'</td><td>int, unsigned int</td><td>4</td><td>int</td></tr>
 * <tr><td>'l', 'L'</td><td>long, unsigned long</td><td>8</td><td>long</td></tr>
 * <tr><td>'q', 'Q'</td><td>long long, unsigned long long</td><td>8</td><td>long</td></tr>
 * <tr><td>'f'</td><td>float</td><td>4</td><td>float</td></tr>
 * <tr><td>'d'</td><td>double</td><td>8</td><td>double</td></tr>
 * <tr><td>'u'</td><td>wchar_t</td><td>4</td><td>int (a code point)</td></tr>
 * <tr><td>'?'</td><td>bool (ctypes {@code c_bool})</td><td>1</td><td>boolean</td></tr>
 * </table>
 *
 * <p>Java has no unsigned types: an unsigned code stores the same bits, and Java reads them as
 * signed. Read {@code 'B'} with {@code Byte.toUnsignedInt}, {@code 'H'} with
 * {@code Short.toUnsignedInt}, {@code 'I'} with {@code Integer.toUnsignedLong}, and {@code 'L'},
 * {@code 'Q'} with {@code Long.toUnsignedString} and {@code Long.compareUnsigned}.
 * {@link #CHAR16} is Java's {@code char}, which Python reads as {@code 'H'}.
 *
 * @param <A> the array type this code makes
 * @param <J> the Java array that initializes such an array
 * @param <V> the value type this code makes
 */
public final class TypeCode<A extends SharedPrimitiveArray, J, V extends SharedPrimitiveValue> {

    /** Makes an array or a value of one typecode over allocated memory. */
    interface Factory<T> {
        T create(TypeCode<?, ?, ?> code, SharedMemory memory, MemorySegment segment, SharedLock lock);
    }

    /** Python's {@code 'c'}: C {@code char}; an array of it is a {@link SharedString}. */
    public static final TypeCode<SharedString, byte[], SharedByteValue> CHAR =
            new TypeCode<>('c', "char", JAVA_BYTE, SharedString::new, SharedByteValue::new);
    /** Python's {@code 'b'}: C {@code signed char}, a Java {@code byte}. */
    public static final TypeCode<SharedByteArray, byte[], SharedByteValue> BYTE =
            new TypeCode<>('b', "signed char", JAVA_BYTE, SharedByteArray::new, SharedByteValue::new);
    /** Python's {@code 'B'}: C {@code unsigned char}, stored in a Java {@code byte}. */
    public static final TypeCode<SharedByteArray, byte[], SharedByteValue> UBYTE =
            new TypeCode<>('B', "unsigned char", JAVA_BYTE, SharedByteArray::new, SharedByteValue::new);
    /** Python's {@code 'h'}: C {@code short}, a Java {@code short}. */
    public static final TypeCode<SharedShortArray, short[], SharedShortValue> SHORT =
            new TypeCode<>('h', "short", JAVA_SHORT, SharedShortArray::new, SharedShortValue::new);
    /** Python's {@code 'H'}: C {@code unsigned short}, stored in a Java {@code short}. */
    public static final TypeCode<SharedShortArray, short[], SharedShortValue> USHORT =
            new TypeCode<>('H', "unsigned short", JAVA_SHORT, SharedShortArray::new, SharedShortValue::new);
    /** Python's {@code 'i'}: C {@code int}, a Java {@code int}. */
    public static final TypeCode<SharedIntArray, int[], SharedIntValue> INT =
            new TypeCode<>('i', "int", JAVA_INT, SharedIntArray::new, SharedIntValue::new);
    /** Python's {@code 'I'}: C {@code unsigned int}, stored in a Java {@code int}. */
    public static final TypeCode<SharedIntArray, int[], SharedIntValue> UINT =
            new TypeCode<>('I', "unsigned int", JAVA_INT, SharedIntArray::new, SharedIntValue::new);
    /** Python's {@code 'l'}: C {@code long} (8 bytes on 64-bit Linux), a Java {@code long}. */
    public static final TypeCode<SharedLongArray, long[], SharedLongValue> LONG =
            new TypeCode<>('l', "long", JAVA_LONG, SharedLongArray::new, SharedLongValue::new);
    /** Python's {@code 'L'}: C {@code unsigned long}, stored in a Java {@code long}. */
    public static final TypeCode<SharedLongArray, long[], SharedLongValue> ULONG =
            new TypeCode<>('L', "unsigned long", JAVA_LONG, SharedLongArray::new, SharedLongValue::new);
    /** Python's {@code 'q'}: C {@code long long}, a Java {@code long}. */
    public static final TypeCode<SharedLongArray, long[], SharedLongValue> LONGLONG =
            new TypeCode<>('q', "long long", JAVA_LONG, SharedLongArray::new, SharedLongValue::new);
    /** Python's {@code 'Q'}: C {@code unsigned long long}, stored in a Java {@code long}. */
    public static final TypeCode<SharedLongArray, long[], SharedLongValue> ULONGLONG =
            new TypeCode<>('Q', "unsigned long long", JAVA_LONG, SharedLongArray::new, SharedLongValue::new);
    /** Python's {@code 'f'}: C {@code float}, a Java {@code float}. */
    public static final TypeCode<SharedFloatArray, float[], SharedFloatValue> FLOAT =
            new TypeCode<>('f', "float", JAVA_FLOAT, SharedFloatArray::new, SharedFloatValue::new);
    /** Python's {@code 'd'}: C {@code double}, a Java {@code double}. */
    public static final TypeCode<SharedDoubleArray, double[], SharedDoubleValue> DOUBLE =
            new TypeCode<>('d', "double", JAVA_DOUBLE, SharedDoubleArray::new, SharedDoubleValue::new);
    /** Python's {@code 'u'}: C {@code wchar_t} (4 bytes on Linux), a code point in a Java {@code int}. */
    public static final TypeCode<SharedIntArray, int[], SharedIntValue> WCHAR =
            new TypeCode<>('u', "wchar_t", JAVA_INT, SharedIntArray::new, SharedIntValue::new);
    /** Python's {@code '?'}: C {@code bool} (ctypes {@code c_bool}), a Java {@code boolean}. */
    public static final TypeCode<SharedBooleanArray, boolean[], SharedBooleanValue> BOOL =
            new TypeCode<>('?', "bool", JAVA_BOOLEAN, SharedBooleanArray::new, SharedBooleanValue::new);
    /** Java's {@code char} (C {@code uint16_t}); not a Python typecode: Python reads it as {@code 'H'}. */
    public static final TypeCode<SharedCharArray, char[], SharedCharValue> CHAR16 =
            new TypeCode<>('H', "uint16_t", JAVA_CHAR, SharedCharArray::new, SharedCharValue::new);

    /** Python's typecodes, in the order of {@code typecode_to_type}, then {@link #BOOL} and {@link #CHAR16}. */
    public static final List<TypeCode<?, ?, ?>> ALL = List.of(CHAR, BYTE, UBYTE, SHORT, USHORT, INT, UINT, LONG, ULONG,
            LONGLONG, ULONGLONG, FLOAT, DOUBLE, WCHAR, BOOL, CHAR16);

    private final char code;
    private final String cType;
    private final ValueLayout layout;
    private final Factory<A> arrays;
    private final Factory<V> values;

    private TypeCode(char code, String cType, ValueLayout layout, Factory<A> arrays, Factory<V> values) {
        this.code = code;
        this.cType = cType;
        this.layout = layout;
        this.arrays = arrays;
        this.values = values;
    }

    /**
     * The typecode for Python's {@code code}; {@code 'H'} is {@link #USHORT}.
     *
     * @param code the typecode character, as Python's {@code array} module spells it
     * @return the typecode, or empty if there is none for {@code code}
     */
    public static Optional<TypeCode<?, ?, ?>> of(char code) {
        return ALL.stream().filter(typeCode -> typeCode.code == code).findFirst().map(typeCode -> (TypeCode<?, ?, ?>) typeCode);
    }

    /**
     * Python's typecode character.
     *
     * @return the typecode character
     */
    public char code() {
        return code;
    }

    /**
     * The code and C type, {@code 'I' unsigned int}: how regions and handles record it.
     *
     * @return the typecode's name
     */
    public String name() {
        return "'" + code + "' " + cType;
    }

    /**
     * The C type: {@code unsigned int}.
     *
     * @return the C type
     */
    public String cType() {
        return cType;
    }

    /**
     * Bytes per element on Linux x86-64 and aarch64.
     *
     * @return the element size in bytes
     */
    public int size() {
        return (int) layout.byteSize();
    }

    /**
     * The Java type elements are read as.
     *
     * @return the Java element type
     */
    public Class<?> javaType() {
        return layout.carrier();
    }

    /**
     * Whether the C type is unsigned: Java then reads the same bits as a signed value.
     *
     * @return whether the C type is unsigned
     */
    public boolean isUnsigned() {
        return cType.startsWith("unsigned") || cType.startsWith("uint");
    }

    ValueLayout layout() {
        return layout;
    }

    A array(SharedMemory memory, MemorySegment segment, SharedLock lock) {
        return arrays.create(this, memory, segment, lock);
    }

    V value(SharedMemory memory, MemorySegment segment, SharedLock lock) {
        return values.create(this, memory, segment, lock);
    }

    /** The typecode a region recorded by {@link #name()}. */
    static Optional<TypeCode<?, ?, ?>> named(String name) {
        return ALL.stream().filter(typeCode -> typeCode.name().equals(name)).findFirst().map(typeCode -> (TypeCode<?, ?, ?>) typeCode);
    }

    @Override
    public String toString() {
        return "'" + code + "' (" + cType + ", " + size() + (size() == 1 ? " byte)" : " bytes)");
    }
}
