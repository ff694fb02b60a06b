package dev.sharedstruct.processor.peers;

import java.util.List;
import java.util.Map;
import java.util.Objects;

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
            end = Math.max(end, field.offset() + size(field.shape()));
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
    }

    /** A primitive of a Java type ({@code int}); {@code length} 0 for a scalar, else the array's length. */
    public record Primitive(String type, int length) implements Shape {
        public Primitive {
            if (!PRIMITIVE_BYTES.containsKey(type) || length < 0) {
                throw new IllegalArgumentException("not a primitive field: " + type + "[" + length + "]");
            }
        }
    }

    /** UTF-8 text in {@code bytes} bytes ({@code char[N]}). */
    public record Text(int bytes) implements Shape {
        public Text {
            if (bytes <= 0) {
                throw new IllegalArgumentException("text of " + bytes + " bytes");
            }
        }
    }

    /** An embedded struct. */
    public record Nested(PeerStruct struct) implements Shape {
        public Nested {
            Objects.requireNonNull(struct, "an embedded field needs its struct");
        }
    }

    /** {@code length} structs in a row. */
    public record StructArray(PeerStruct element, int length) implements Shape {
        public StructArray {
            Objects.requireNonNull(element, "a struct array needs its element struct");
            if (length <= 0) {
                throw new IllegalArgumentException("an array of " + length + " structs");
            }
        }
    }

    /** The struct's alignment in C: its most aligned field's. */
    public long alignment() {
        long alignment = 1;
        for (Field field : fields) {
            alignment = Math.max(alignment, switch (field.shape()) {
                case Primitive primitive -> PRIMITIVE_BYTES.get(primitive.type());
                case Text ignored -> 1L;
                case Nested nested -> nested.struct().alignment();
                case StructArray array -> array.element().alignment();
            });
        }
        return alignment;
    }

    /** Bytes a field of {@code shape} occupies. */
    private static long size(Shape shape) {
        return switch (shape) {
            case Primitive primitive -> (long) PRIMITIVE_BYTES.get(primitive.type()) * Math.max(primitive.length(), 1);
            case Text text -> text.bytes();
            case Nested nested -> nested.struct().size();
            case StructArray array -> array.element().size() * array.length();
        };
    }

    /** The size C gives a struct whose fields end at {@code end} and align to {@code alignment}. */
    public static long roundedUp(long end, long alignment) {
        return (end + alignment - 1) / alignment * alignment;
    }
}
