package dev.sharedstruct.processor.peers;

import java.util.List;
import java.util.Map;

/**
 * A struct as a C header or Python module declares it, in no language yet: its fields by the names
 * the stored layout gives them, their offsets, shapes and the struct's size. The processor builds
 * one from its layout plan ({@link PlannedPeers}), {@code sharedstruct emit} from the layout text a
 * region stores; {@link CHeaderWriter} and {@link PythonModuleWriter} write either, so both write
 * the same text.
 *
 * @param fields the fields in layout order, at least one
 * @param size the struct's size in bytes, as C makes it (trailing padding included)
 */
public record PeerStruct(List<Field> fields, long size) {

    /** The Java primitives a field can hold and their sizes (each aligned to its size). */
    static final Map<String, Integer> PRIMITIVE_BYTES = Map.of("boolean", 1, "byte", 1, "short", 2, "char", 2,
            "int", 4, "long", 8, "float", 4, "double", 8);

    public PeerStruct {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a struct without fields cannot be declared");
        }
        long end = 0;
        for (Field field : fields) {
            end = Math.max(end, field.offset() + field.shape().size());
        }
        if (size < end) {
            throw new IllegalArgumentException("a struct of " + size + " bytes cannot hold fields that end at " + end);
        }
    }

    /**
     * One field.
     *
     * @param name the name the stored layout gives it (a Java name; the writers make it an identifier)
     * @param offset its offset in the struct
     * @param shape what it holds
     */
    public record Field(String name, long offset, Shape shape) {
        public Field {
            if (name == null || name.isEmpty() || offset < 0 || shape == null) {
                throw new IllegalArgumentException("a field needs a name, an offset of 0 or more and a shape: " + name + " @" + offset);
            }
        }
    }

    /** What a field holds. */
    public sealed interface Shape {
        /** Bytes the field occupies. */
        long size();

        /** Its alignment in C. */
        long alignment();
    }

    /** A primitive of a Java type ({@code int}); {@code length} 0 for a scalar, else the array's length. */
    public record Primitive(String type, int length) implements Shape {
        public Primitive {
            if (!PRIMITIVE_BYTES.containsKey(type) || length < 0) {
                throw new IllegalArgumentException("not a primitive field: " + type + "[" + length + "]");
            }
        }

        @Override
        public long size() {
            return (long) PRIMITIVE_BYTES.get(type) * Math.max(length, 1);
        }

        @Override
        public long alignment() {
            return PRIMITIVE_BYTES.get(type);
        }
    }

    /** UTF-8 text in {@code bytes} bytes ({@code char[N]}). */
    public record Text(int bytes) implements Shape {
        public Text {
            if (bytes <= 0) {
                throw new IllegalArgumentException("text of " + bytes + " bytes");
            }
        }

        @Override
        public long size() {
            return bytes;
        }

        @Override
        public long alignment() {
            return 1;
        }
    }

    /** An embedded struct. */
    public record Nested(PeerStruct struct) implements Shape {
        @Override
        public long size() {
            return struct.size();
        }

        @Override
        public long alignment() {
            return struct.alignment();
        }
    }

    /** {@code length} structs in a row. */
    public record StructArray(PeerStruct element, int length) implements Shape {
        public StructArray {
            if (length <= 0) {
                throw new IllegalArgumentException("an array of " + length + " structs");
            }
        }

        @Override
        public long size() {
            return element.size() * length;
        }

        @Override
        public long alignment() {
            return element.alignment();
        }
    }

    /** The struct's alignment in C: its most aligned field's. */
    public long alignment() {
        long alignment = 1;
        for (Field field : fields) {
            alignment = Math.max(alignment, field.shape().alignment());
        }
        return alignment;
    }

    /** The size C gives a struct whose fields end at {@code end} and align to {@code alignment}. */
    public static long roundedUp(long end, long alignment) {
        return (end + alignment - 1) / alignment * alignment;
    }
}
