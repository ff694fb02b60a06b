package dev.sharedstruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A struct layout as text, field by field with nested structs flattened
 * ({@code x:double@0;origin.y:double@24;samples:int[4]@32;size=48}). The directory stores it
 * next to each named struct, so that a process asking with another layout is told which fields
 * differ, not just that something does, and so that a tool can decode the struct from the
 * region alone.
 *
 * <p>Text written with the struct's interface at hand ({@link #of(StructType)}) also names what
 * the bytes mean where the C type cannot say: {@code name:string[8]@4} for a text field,
 * {@code color:enum{RED,GREEN}@12} for an enum, and the fields of each element of a struct array
 * ({@code corners:struct16[3]@16;corners[].x:double@0;...}, offsets relative to the element),
 * and ends with {@code ;kinds=1}. {@link StoredLayout} reads both forms; see docs/CLI.md.
 */
final class LayoutDescription {
    private LayoutDescription() {
    }

    static String of(StructLayout layout) {
        StringBuilder text = new StringBuilder();
        describe(layout, "", 0, text);
        return text.append("size=").append(layout.byteSize()).toString();
    }

    /** The layout of {@code type} with field kinds, read from its interface's getters. */
    static String of(StructType<?> type) {
        return FieldKinds.of(type.type());
    }

    /** Ends a layout text whose fields carry their kinds. */
    static final String KINDS_MARK = "kinds=1";

    private static void describe(GroupLayout group, String prefix, long base, StringBuilder text) {
        long offset = base;
        for (MemoryLayout member : group.memberLayouts()) {
            if (!(member instanceof PaddingLayout)) {
                String name = prefix + member.name().orElse("?");
                if (member instanceof StructLayout nested) {
                    describe(nested, name + ".", offset, text);
                } else {
                    text.append(name).append(':').append(typeOf(member)).append('@').append(offset).append(';');
                }
            }
            offset += member.byteSize();
        }
    }

    static String typeOf(MemoryLayout layout) {
        return switch (layout) {
            case ValueLayout value -> value.carrier().getSimpleName();
            case SequenceLayout sequence -> sequence.elementLayout() instanceof StructLayout element
                    ? "struct" + element.byteSize() + "[" + sequence.elementCount() + "]"
                    : typeOf(sequence.elementLayout()) + "[" + sequence.elementCount() + "]";
            default -> layout.toString();
        };
    }

    /**
     * What differs between the layout stored in a region and the one a caller brought, field by
     * field: "field y is double at offset 8 in the region, int at offset 8 in yours".
     */
    static String differences(String stored, String yours) {
        Map<String, String> theirs = fields(stored);
        Map<String, String> ours = fields(yours);
        List<String> differences = new ArrayList<>();
        theirs.forEach((field, shape) -> {
            String mine = ours.get(field);
            if (mine == null) {
                differences.add("field " + field + " (" + readable(shape) + ") is only in the region");
            } else if (!mine.equals(shape)) {
                differences.add("field " + field + " is " + readable(shape) + " in the region but " + readable(mine) + " in yours");
            }
        });
        ours.forEach((field, shape) -> {
            if (!theirs.containsKey(field)) {
                differences.add("field " + field + " (" + readable(shape) + ") is only in yours");
            }
        });
        if (differences.isEmpty()) {
            return "every field has the same type and offset, but the fingerprints differ:"
                    + " an enum's constants or a field's kind (String, enum, boolean) changed";
        }
        return String.join("; ", differences);
    }

    private static Map<String, String> fields(String description) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : description.split(";")) {
            int colon = part.indexOf(':');
            int equals = part.indexOf('=');
            if (colon > 0) {
                fields.put(part.substring(0, colon), part.substring(colon + 1));
            } else if (part.startsWith("size=")) {
                fields.put("(size)", part.substring(equals + 1));
            }
        }
        return fields;
    }

    private static String readable(String shape) {
        int at = shape.lastIndexOf('@');
        return at < 0 ? shape + " bytes" : shape.substring(0, at) + " at offset " + shape.substring(at + 1);
    }
}
