package dev.sharedstruct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A struct's layout as a region stores it next to a named struct (docs/FORMAT.md, "Stored layout
 * text"), read back field by field so that a tool can decode the struct without its Java
 * interface. Nested structs appear flattened ({@code origin.x}); the fields of a struct array's
 * element are that field's {@link Field#elementFields()}, with offsets relative to the element.
 *
 * <p>Texts written before text fields were marked {@code char[N]} and struct array elements were
 * listed read too: a text field then shows as {@code byte[N]}, and a struct array has no element
 * fields. Enums are stored as their {@code int} ordinal; the text carries no constants.
 *
 * @param fields the fields in offset order, nested structs flattened
 * @param size the struct's size in bytes
 */
public record StoredLayout(List<Field> fields, long size) {

    /** How a field's bytes are to be read. */
    public enum Kind {
        /** One primitive: {@link Field#type()} is its Java type ({@code int}, {@code boolean}, ...). */
        SCALAR,
        /** UTF-8 text, NUL-padded, in {@link Field#length()} bytes. */
        STRING,
        /** {@link Field#length()} primitives of {@link Field#type()}. */
        PRIMITIVE_ARRAY,
        /** {@link Field#length()} structs of {@link Field#elementSize()} bytes each. */
        STRUCT_ARRAY
    }

    /**
     * One field.
     *
     * @param name its name, dotted for a field of a nested struct ({@code origin.x})
     * @param type the primitive's Java type for scalars and arrays ({@code int}); the text's type otherwise
     * @param length elements of an array or bytes of a string; 1 for a scalar
     * @param offset from the start of the struct (or of the element, for element fields)
     * @param elementSize bytes of one element of a struct array; 0 otherwise
     * @param elementFields the fields of a struct array's element; empty when unknown
     * @param kind the kind of field
     */
    public record Field(String name, Kind kind, String type, int length, long offset, long elementSize,
            List<Field> elementFields) {
        /**
         * A field; {@code elementFields} is copied.
         *
         * @param name its name, dotted for a field of a nested struct
         * @param kind the kind of field
         * @param type the primitive's Java type for scalars and arrays; the text's type otherwise
         * @param length elements of an array or bytes of a string; 1 for a scalar
         * @param offset from the start of the struct (or of the element, for element fields)
         * @param elementSize bytes of one element of a struct array; 0 otherwise
         * @param elementFields the fields of a struct array's element; empty when unknown
         */
        public Field {
            elementFields = List.copyOf(elementFields);
        }

        /**
         * Bytes the field occupies.
         *
         * @return the size in bytes
         */
        public long byteSize() {
            return switch (kind) {
                case STRUCT_ARRAY -> elementSize * length;
                case STRING -> length;
                default -> PRIMITIVE_SIZES.get(type) * (long) length;
            };
        }
    }

    /**
     * The largest number a layout text holds (offsets, sizes, lengths): none of the processor's
     * comes near it, and with it no product or sum of two of them overflows a long.
     */
    private static final long MAX_NUMBER = Integer.MAX_VALUE;
    /** How deeply struct arrays nest in a text this runtime reads; the parse recurses this deep at most. */
    static final int MAX_NESTING = 64;

    private static final Map<String, Integer> PRIMITIVE_SIZES = Map.of("boolean", 1, "byte", 1, "short", 2, "char", 2,
            "int", 4, "long", 8, "float", 4, "double", 8);

    /**
     * A layout; {@code fields} is copied.
     *
     * @param fields the fields in offset order, nested structs flattened
     * @param size the struct's size in bytes
     */
    public StoredLayout {
        fields = List.copyOf(fields);
    }

    /** One {@code name:type@offset} item of the text. */
    private record Item(String name, String type, long offset) {
    }

    /**
     * Reads a layout text.
     *
     * @param text the stored layout text
     * @return the layout
     * @throws InvalidRegionException if the text is not one this runtime writes (a corrupt region,
     *     or one written by a later version)
     */
    public static StoredLayout parse(String text) {
        List<Item> items = new ArrayList<>();
        long size = -1;
        for (String part : text.split(";")) {
            if (part.startsWith("size=")) {
                size = number(part.substring(5), text);
            } else if (!part.isEmpty()) {
                int colon = part.indexOf(':');
                int at = part.lastIndexOf('@');
                if (colon <= 0 || at < colon) {
                    throw unreadable(text, "\"" + part + "\" is not name:type@offset");
                }
                items.add(new Item(part.substring(0, colon), part.substring(colon + 1, at), number(part.substring(at + 1), text)));
            }
        }
        if (size < 0) {
            throw unreadable(text, "it has no size");
        }
        List<Field> fields = build(items, "", text, 0);
        for (Field field : fields) {
            if (field.offset() + field.byteSize() > size) {
                throw unreadable(text, "field " + field.name() + " ends past the struct's " + size + " bytes");
            }
        }
        return new StoredLayout(fields, size);
    }

    /** The fields named {@code prefix + name} where name has no element part of its own. */
    private static List<Field> build(List<Item> items, String prefix, String text, int depth) {
        if (depth > MAX_NESTING) {
            throw unreadable(text, "its struct arrays nest more than " + MAX_NESTING + " deep");
        }
        List<Field> fields = new ArrayList<>();
        for (Item item : items) {
            if (!item.name.startsWith(prefix) || item.name.substring(prefix.length()).contains("[].")) {
                continue;
            }
            fields.add(field(item, item.name.substring(prefix.length()), items, text, depth));
        }
        return fields;
    }

    private static Field field(Item item, String name, List<Item> items, String text, int depth) {
        String type = item.type;
        int bracket = type.indexOf('[');
        if (bracket < 0) {
            requirePrimitive(type, text);
            return new Field(name, Kind.SCALAR, type, 1, item.offset, 0, List.of());
        }
        if (!type.endsWith("]")) {
            throw unreadable(text, "type \"" + type + "\" of " + item.name + " is not readable");
        }
        String element = type.substring(0, bracket);
        long length = number(type.substring(bracket + 1, type.length() - 1), text);
        if (length > Integer.MAX_VALUE) {
            throw unreadable(text, item.name + " has " + length + " elements");
        }
        if (element.equals("char") && bracket > 0) {
            // char[N] is UTF-8 text; an array of Java chars is not written this way (FORMAT.md).
            return new Field(name, Kind.STRING, "char", (int) length, item.offset, 0, List.of());
        }
        if (element.startsWith("struct")) {
            long elementSize = number(element.substring(6), text);
            List<Field> elementFields = build(items, item.name + "[].", text, depth + 1);
            for (Field field : elementFields) {
                if (field.offset() + field.byteSize() > elementSize) {
                    throw unreadable(text, "field " + item.name + "[]." + field.name() + " ends past its element");
                }
            }
            return new Field(name, Kind.STRUCT_ARRAY, element, (int) length, item.offset, elementSize, elementFields);
        }
        requirePrimitive(element, text);
        return new Field(name, Kind.PRIMITIVE_ARRAY, element, (int) length, item.offset, 0, List.of());
    }

    private static void requirePrimitive(String type, String text) {
        if (!PRIMITIVE_SIZES.containsKey(type)) {
            throw unreadable(text, "type \"" + type + "\" is unknown to this version");
        }
    }

    private static long number(String digits, String text) {
        try {
            long value = Long.parseLong(digits);
            if (value < 0) {
                throw unreadable(text, "it holds a negative number " + value);
            }
            if (value > MAX_NUMBER) {
                throw unreadable(text, "it holds the number " + value + ", larger than any struct's (" + MAX_NUMBER + ")");
            }
            return value;
        } catch (NumberFormatException e) {
            throw unreadable(text, "\"" + digits + "\" is not a number");
        }
    }

    private static InvalidRegionException unreadable(String text, String why) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return new InvalidRegionException("the stored layout \"" + shown + "\" is not readable: " + why);
    }
}
