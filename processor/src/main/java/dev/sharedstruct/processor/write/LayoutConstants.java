package dev.sharedstruct.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.Primitive;
import dev.sharedstruct.processor.model.FieldModel;
import dev.sharedstruct.processor.model.GeneratedNames;
import dev.sharedstruct.processor.model.StructModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;

/**
 * The static constants of a generated class: the {@code StructLayout} (the single source of
 * offsets, with explicit padding, as jextract emits it), the fingerprint, and each field's
 * handles and offsets, read back from the layout by name.
 */
final class LayoutConstants {
    private LayoutConstants() {
    }

    static List<FieldSpec> of(StructModel struct) {
        List<FieldSpec> constants = new ArrayList<>();
        constants.add(FieldSpec.builder(Names.STRUCT_LAYOUT, GeneratedNames.LAYOUT, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The C layout of {@link $T}, each member named after its field.\n", struct.interfaceName())
                .initializer(layout(struct))
                .build());
        constants.add(FieldSpec.builder(TypeName.LONG, GeneratedNames.FINGERPRINT, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("A hash of the fields' names, types and offsets: equal only for the same layout.\n")
                .initializer("$L", String.format("0x%016xL", struct.plan().fingerprint()))
                .build());
        for (FieldModel field : struct.fields()) {
            constants.addAll(FieldWriter.of(field.shape()).constants(field));
        }
        return constants;
    }

    /** The layout factories and value layouts the class uses, imported statically for readability. */
    static Map<ClassName, String[]> staticImports(StructModel struct) {
        Set<String> memoryLayout = new TreeSet<>(List.of("structLayout"));
        Set<String> pathElement = new TreeSet<>(List.of("groupElement"));
        Set<String> valueLayouts = new TreeSet<>();
        if (struct.plan().trailingPadding() > 0) {
            memoryLayout.add("paddingLayout");
        }
        for (FieldModel field : struct.fields()) {
            if (field.placed().paddingBefore() > 0) {
                memoryLayout.add("paddingLayout");
            }
            switch (field.shape()) {
                case FieldShape.Scalar scalar -> valueLayouts.add(scalar.type().valueLayout());
                case FieldShape.PrimitiveArray array -> {
                    memoryLayout.add("sequenceLayout");
                    pathElement.add("sequenceElement");
                    valueLayouts.add(array.element().valueLayout());
                }
                case FieldShape.Text ignored -> {
                    memoryLayout.add("sequenceLayout");
                    valueLayouts.add(Primitive.BYTE.valueLayout());
                }
                case FieldShape.EnumOrdinal ignored -> valueLayouts.add(Primitive.INT.valueLayout());
                case FieldShape.Nested ignored -> {
                }
                case FieldShape.NestedArray ignored -> memoryLayout.add("sequenceLayout");
            }
        }
        Map<ClassName, String[]> imports = new LinkedHashMap<>();
        imports.put(Names.MEMORY_LAYOUT, memoryLayout.toArray(String[]::new));
        imports.put(Names.PATH_ELEMENT, pathElement.toArray(String[]::new));
        if (!valueLayouts.isEmpty()) {
            imports.put(Names.VALUE_LAYOUT, valueLayouts.toArray(String[]::new));
        }
        return imports;
    }

    /** {@code structLayout(JAVA_INT.withName("a"), paddingLayout(4), JAVA_LONG.withName("b"))}. */
    private static CodeBlock layout(StructModel struct) {
        List<CodeBlock> members = new ArrayList<>();
        for (FieldModel field : struct.fields()) {
            if (field.placed().paddingBefore() > 0) {
                members.add(padding(field.placed().paddingBefore()));
            }
            members.add(FieldWriter.of(field.shape()).layoutMember(field));
        }
        if (struct.plan().trailingPadding() > 0) {
            members.add(padding(struct.plan().trailingPadding()));
        }
        return CodeBlock.builder()
                .add("$T.structLayout(\n$>$>", Names.MEMORY_LAYOUT)
                .add(CodeBlock.join(members, ",\n"))
                .add(")$<$<")
                .build();
    }

    private static CodeBlock padding(long bytes) {
        return CodeBlock.of("$T.paddingLayout($L)", Names.MEMORY_LAYOUT, bytes);
    }
}
