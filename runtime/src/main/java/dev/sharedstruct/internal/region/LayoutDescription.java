package dev.sharedstruct.internal.region;

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
 * ({@code x:double@0;origin.y:double@24;samples:int[4]@32;name:char[16]@48;size=64}). The
 * directory stores it next to each named struct, so that a process asking with another layout is
 * told which fields differ, not just that something does, and so that C and Python peers can
 * build the struct from the region alone: text is {@code char[N]} (a byte sequence whose element
 * is named {@code utf8}), and a struct array {@code corners:struct16[4]@64} is followed by its
 * element's fields at offsets within the element ({@code corners[].x:double@0;}).
 * docs/FORMAT.md, "Stored layout text", is the grammar.
 */
public final class LayoutDescription {
    private LayoutDescription() {
    }

    public static String of(StructLayout layout) {
        StringBuilder text = new StringBuilder();
        describe(layout, "", 0, text);
        return text.append("size=").append(layout.byteSize()).toString();
    }

    private static void describe(GroupLayout group, String prefix, long base, StringBuilder text) {
        long offset = base;
        for (MemoryLayout member : group.memberLayouts()) {
            if (!(member instanceof PaddingLayout)) {
                String name = prefix + member.name().orElse("?");
                if (member instanceof StructLayout nested) {
                    describe(nested, name + ".", offset, text);
                } else {
                    text.append(name).append(':').append(typeOf(member)).append('@').append(offset).append(';');
                    if (member instanceof SequenceLayout sequence && sequence.elementLayout() instanceof StructLayout element) {
                        describe(element, name + "[].", 0, text);
                    }
                }
            }
            offset += member.byteSize();
        }
    }

    private static String typeOf(MemoryLayout layout) {
        return switch (layout) {
            case ValueLayout value -> value.carrier().getSimpleName();
            case SequenceLayout sequence when sequence.elementLayout() instanceof StructLayout element ->
                    "struct" + element.byteSize() + "[" + sequence.elementCount() + "]";
            case SequenceLayout sequence when sequence.elementLayout().name().filter("utf8"::equals).isPresent() ->
                    "char[" + sequence.elementCount() + "]";
            case SequenceLayout sequence -> typeOf(sequence.elementLayout()) + "[" + sequence.elementCount() + "]";
            default -> layout.toString();
        };
    }

    /**
     * What differs between the layout stored in a region and the one a caller brought, field by
     * field: "field y is double at offset 8 in the region, int at offset 8 in yours".
     */
    public static String differences(String stored, String yours) {
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
            } else if (equals > 0) {
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
