package dev.sharedstruct.processor.layout;

/**
 * The Java primitives a field can hold and the C type each is stored as (Linux x86-64 and
 * aarch64, native byte order). Every one is aligned to its own size, as C requires.
 */
public enum Primitive {
    BOOLEAN("boolean", "Boolean", "bool", "JAVA_BOOLEAN", 1),
    BYTE("byte", "Byte", "int8_t", "JAVA_BYTE", 1),
    SHORT("short", "Short", "int16_t", "JAVA_SHORT", 2),
    CHAR("char", "Character", "uint16_t", "JAVA_CHAR", 2),
    INT("int", "Integer", "int32_t", "JAVA_INT", 4),
    LONG("long", "Long", "int64_t", "JAVA_LONG", 8),
    FLOAT("float", "Float", "float", "JAVA_FLOAT", 4),
    DOUBLE("double", "Double", "double", "JAVA_DOUBLE", 8);

    private final String javaName;
    private final String boxName;
    private final String cName;
    private final String valueLayout;
    private final int size;

    Primitive(String javaName, String boxName, String cName, String valueLayout, int size) {
        this.javaName = javaName;
        this.boxName = boxName;
        this.cName = cName;
        this.valueLayout = valueLayout;
        this.size = size;
    }

    /** The Java keyword: {@code int}. */
    public String javaName() {
        return javaName;
    }

    /** The simple name of the box class, whose static {@code hashCode} and {@code compare} we use. */
    public String boxName() {
        return boxName;
    }

    /** The C type: {@code int32_t}. */
    public String cName() {
        return cName;
    }

    /** The {@code java.lang.foreign.ValueLayout} constant: {@code JAVA_INT}. */
    public String valueLayout() {
        return valueLayout;
    }

    /** Size in bytes, which is also the alignment. */
    public int size() {
        return size;
    }

    /** Whether values compare with {@code ==} (not floating point, whose NaN needs {@code compare}). */
    public boolean comparesWithEquals() {
        return this != FLOAT && this != DOUBLE;
    }

    /** The primitive with this Java keyword, or null. */
    public static Primitive ofJavaName(String name) {
        for (Primitive primitive : values()) {
            if (primitive.javaName.equals(name)) {
                return primitive;
            }
        }
        return null;
    }
}
