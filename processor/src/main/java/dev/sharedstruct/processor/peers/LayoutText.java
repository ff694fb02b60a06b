package dev.sharedstruct.processor.peers;

import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.LayoutPlan;
import dev.sharedstruct.processor.layout.PlannedField;

/**
 * The layout text a region stores next to a named struct, computed from the plan exactly as the
 * runtime's {@code LayoutDescription} computes it from the generated {@code LAYOUT}
 * ({@code x:double@0;origin.y:double@24;name:char[16]@32;corners:struct16[2]@48;corners[].x:double@0;size=80}),
 * so that a C or Python peer holding a generated header or module can name the fields that
 * differ from what a region holds. docs/FORMAT.md, "Stored layout text", is the grammar.
 */
public final class LayoutText {
    private LayoutText() {
    }

    public static String of(LayoutPlan plan) {
        StringBuilder text = new StringBuilder();
        describe(plan, "", 0, text);
        return text.append("size=").append(plan.size()).toString();
    }

    private static void describe(LayoutPlan plan, String prefix, long base, StringBuilder text) {
        for (PlannedField field : plan.fields()) {
            String name = prefix + field.name();
            long offset = base + field.offset();
            switch (field.shape()) {
                case FieldShape.Nested nested -> describe(nested.struct(), name + ".", offset, text);
                case FieldShape.NestedArray array -> {
                    entry(text, name, "struct" + array.struct().size() + "[" + array.length() + "]", offset);
                    describe(array.struct(), name + "[].", 0, text);
                }
                case FieldShape.Scalar scalar -> entry(text, name, scalar.type().javaName(), offset);
                case FieldShape.PrimitiveArray array -> entry(text, name, array.element().javaName() + "[" + array.length() + "]", offset);
                case FieldShape.Text chars -> entry(text, name, "char[" + chars.length() + "]", offset);
                case FieldShape.EnumOrdinal ignored -> entry(text, name, "int", offset);
            }
        }
    }

    private static void entry(StringBuilder text, String name, String type, long offset) {
        text.append(name).append(':').append(type).append('@').append(offset).append(';');
    }
}
