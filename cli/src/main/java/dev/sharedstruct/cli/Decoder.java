package dev.sharedstruct.cli;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.sharedstruct.RegionInspector;
import dev.sharedstruct.RegionInspector.NamedObject;
import dev.sharedstruct.StoredLayout;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.internal.StructSupport;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a named object's bytes by what the region stores about it (layout text, typecode), not
 * by any Java class: a struct becomes a map of field names to values (nested structs as nested
 * maps), an array a list, text a string, an enum its ordinal. Numbers are read as the
 * generated accessors read them (same types, native byte order); unsigned typecodes of arrays and
 * values are shown unsigned, as C and Python read them.
 */
final class Decoder {
    private Decoder() {
    }

    /** The value of {@code object}, one of {@code inspector}'s, as its bytes are now. */
    static Object decode(RegionInspector inspector, NamedObject object) {
        MemorySegment bytes = inspector.contents(object);
        if (object.kind().startsWith("struct")) {
            // Checked first: what the checks pass keeps the reads below inside the object and their recursion shallow.
            StoredLayout layout = CheckedLayout.of(inspector.path(), object);
            if (object.kind().equals("struct")) {
                return struct(layout.fields(), bytes, 0);
            }
            List<Object> elements = new ArrayList<>();
            for (int i = 0; i < object.length(); i++) {
                elements.add(struct(layout.fields(), bytes, i * layout.size()));
            }
            return elements;
        }
        TypeCode<?, ?, ?> code = object.typeCode().orElseThrow(() -> new BadInput(
                "\"" + object.name() + "\" is a " + object.type() + ", a type this version cannot decode"));
        if (object.kind().equals("value")) {
            return typed(code, bytes, 0);
        }
        if (code == TypeCode.CHAR) {
            return StructSupport.readText(bytes, 0, (int) bytes.byteSize());
        }
        List<Object> elements = new ArrayList<>();
        for (int i = 0; i < object.length(); i++) {
            elements.add(typed(code, bytes, (long) i * code.size()));
        }
        return elements;
    }

    private static Map<String, Object> struct(List<StoredLayout.Field> fields, MemorySegment bytes, long base) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (StoredLayout.Field field : fields) {
            put(values, field.name(), field(field, bytes, base + field.offset()));
        }
        return values;
    }

    /** Puts {@code origin.x} into the map of {@code origin}. */
    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> values, String dotted, Object value) {
        int dot = dotted.indexOf('.');
        if (dot < 0) {
            values.put(dotted, value);
            return;
        }
        Object nested = values.computeIfAbsent(dotted.substring(0, dot), k -> new LinkedHashMap<String, Object>());
        if (nested instanceof Map<?, ?> map) {
            put((Map<String, Object>) map, dotted.substring(dot + 1), value);
        } else {
            values.put(dotted, value);
        }
    }

    private static Object field(StoredLayout.Field field, MemorySegment bytes, long at) {
        return switch (field.kind()) {
            case SCALAR -> scalar(field.type(), bytes, at);
            case STRING -> StructSupport.readText(bytes, at, field.length());
            case PRIMITIVE_ARRAY -> {
                List<Object> elements = new ArrayList<>();
                long size = field.byteSize() / field.length();
                for (int i = 0; i < field.length(); i++) {
                    elements.add(scalar(field.type(), bytes, at + i * size));
                }
                yield elements;
            }
            case STRUCT_ARRAY -> {
                List<Object> elements = new ArrayList<>();
                for (int i = 0; i < field.length(); i++) {
                    long element = at + i * field.elementSize();
                    elements.add(field.elementFields().isEmpty()
                            ? "0x" + HexFormat.of().formatHex(bytes.asSlice(element, field.elementSize()).toArray(JAVA_BYTE))
                            : struct(field.elementFields(), bytes, element));
                }
                yield elements;
            }
        };
    }

    private static Object scalar(String type, MemorySegment bytes, long at) {
        return switch (type) {
            case "boolean" -> bytes.get(JAVA_BYTE, at) != 0;
            case "byte" -> bytes.get(JAVA_BYTE, at);
            case "short" -> bytes.get(JAVA_SHORT_UNALIGNED, at);
            case "char" -> bytes.get(JAVA_CHAR_UNALIGNED, at);
            case "int" -> bytes.get(JAVA_INT_UNALIGNED, at);
            case "long" -> bytes.get(JAVA_LONG_UNALIGNED, at);
            case "float" -> bytes.get(JAVA_FLOAT_UNALIGNED, at);
            case "double" -> bytes.get(JAVA_DOUBLE_UNALIGNED, at);
            default -> throw new IllegalStateException("no primitive type " + type);
        };
    }

    /** One element of a typecode: C's reading for unsigned codes, Java's otherwise. */
    private static Object typed(TypeCode<?, ?, ?> code, MemorySegment bytes, long at) {
        Object value = scalar(code.javaType().getName(), bytes, at);
        if (!code.isUnsigned() || value instanceof Character) {
            return value;
        }
        return switch (value) {
            case Byte b -> Byte.toUnsignedInt(b);
            case Short s -> Short.toUnsignedInt(s);
            case Integer i -> Integer.toUnsignedLong(i);
            case Long l -> new BigInteger(Long.toUnsignedString(l));
            default -> value;
        };
    }
}
