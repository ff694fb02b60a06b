package dev.sharedstruct.processor.layout;

import java.util.List;

/**
 * What a field stores, as far as layout is concerned: its size, its alignment, the C type it is
 * declared as, and a canonical description that feeds the layout fingerprint.
 */
public sealed interface FieldShape {

    /** Bytes the field occupies. */
    long size();

    /** The field's offset must be a multiple of this. */
    long alignment();

    /** The C declaration of a field of this shape named {@code name}, without the semicolon. */
    String cDeclaration(String name);

    /** A stable description of the shape, hashed into the fingerprint. */
    String descriptor();

    /** What the C declaration cannot say (an enum's name), for comments; empty when nothing. */
    default String note() {
        return "";
    }

    /** One primitive value: {@code int32_t count}. */
    record Scalar(Primitive type) implements FieldShape {
        @Override
        public long size() {
            return type.size();
        }

        @Override
        public long alignment() {
            return type.size();
        }

        @Override
        public String cDeclaration(String name) {
            return type.cName() + " " + name;
        }

        @Override
        public String descriptor() {
            return type.cName();
        }
    }

    /** A fixed number of primitives: {@code int32_t samples[16]}. */
    record PrimitiveArray(Primitive element, int length) implements FieldShape {
        @Override
        public long size() {
            return (long) element.size() * length;
        }

        @Override
        public long alignment() {
            return element.size();
        }

        @Override
        public String cDeclaration(String name) {
            return element.cName() + " " + name + "[" + length + "]";
        }

        @Override
        public String descriptor() {
            return element.cName() + "[" + length + "]";
        }
    }

    /** UTF-8 text in a fixed number of bytes, NUL-padded: {@code char name[16]}. */
    record Text(int length) implements FieldShape {
        @Override
        public long size() {
            return length;
        }

        @Override
        public long alignment() {
            return 1;
        }

        @Override
        public String cDeclaration(String name) {
            return "char " + name + "[" + length + "]";
        }

        @Override
        public String descriptor() {
            return "char[" + length + "]";
        }
    }

    /** An enum constant stored as its ordinal: {@code int32_t color}. */
    record EnumOrdinal(String enumName, List<String> constants) implements FieldShape {
        public EnumOrdinal {
            constants = List.copyOf(constants);
        }

        @Override
        public long size() {
            return 4;
        }

        @Override
        public long alignment() {
            return 4;
        }

        @Override
        public String cDeclaration(String name) {
            return "int32_t " + name;
        }

        @Override
        public String note() {
            return "enum " + enumName.substring(enumName.lastIndexOf('.') + 1);
        }

        @Override
        public String descriptor() {
            // The constants are part of the layout: reordering them changes what an ordinal means.
            return "enum " + enumName + String.join(",", constants);
        }
    }

    /** Another struct embedded by value: {@code struct Point origin}. */
    record Nested(LayoutPlan struct) implements FieldShape {
        @Override
        public long size() {
            return struct.size();
        }

        @Override
        public long alignment() {
            return struct.alignment();
        }

        @Override
        public String cDeclaration(String name) {
            return "struct " + struct.name() + " " + name;
        }

        @Override
        public String descriptor() {
            return "struct#" + Long.toHexString(struct.fingerprint());
        }
    }

    /** A fixed number of embedded structs: {@code struct Point corners[4]}. */
    record NestedArray(LayoutPlan struct, int length) implements FieldShape {
        @Override
        public long size() {
            return struct.size() * length;
        }

        @Override
        public long alignment() {
            return struct.alignment();
        }

        @Override
        public String cDeclaration(String name) {
            return "struct " + struct.name() + " " + name + "[" + length + "]";
        }

        @Override
        public String descriptor() {
            return "struct#" + Long.toHexString(struct.fingerprint()) + "[" + length + "]";
        }
    }
}
