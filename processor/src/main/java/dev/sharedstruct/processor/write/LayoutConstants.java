package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.PlannedField;
import dev.sharedstruct.processor.model.FieldModel;
import dev.sharedstruct.processor.model.GeneratedNames;
import dev.sharedstruct.processor.model.StructModel;
import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;

/**
 * The static constants of a generated class: the {@code StructLayout} (the single source of
 * offsets, with explicit padding, as jextract emits it), the fingerprint, and a {@code VarHandle}
 * per field read back from the layout by name.
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
                .initializer("$L", fingerprintLiteral(struct.plan().fingerprint()))
                .build());
        for (FieldModel field : struct.fields()) {
            constants.add(FieldSpec.builder(Names.VAR_HANDLE, field.handleName(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("{@code $L} at offset $L.\n", field.placed().cDeclaration(), field.offset())
                    .initializer(handle(field))
                    .build());
        }
        return constants;
    }

    /** The layout factories and value layouts the constants use, imported statically for readability. */
    static Map<ClassName, String[]> staticImports(StructModel struct) {
        Set<String> memoryLayout = new TreeSet<>(List.of("structLayout"));
        Set<String> valueLayouts = new TreeSet<>();
        for (FieldModel field : struct.fields()) {
            if (field.placed().paddingBefore() > 0) {
                memoryLayout.add("paddingLayout");
            }
            if (field.shape() instanceof FieldShape.Scalar scalar) {
                valueLayouts.add(scalar.type().valueLayout());
            }
        }
        if (struct.plan().trailingPadding() > 0) {
            memoryLayout.add("paddingLayout");
        }
        Map<ClassName, String[]> imports = new LinkedHashMap<>();
        imports.put(Names.MEMORY_LAYOUT, memoryLayout.toArray(String[]::new));
        imports.put(Names.PATH_ELEMENT, new String[] {"groupElement"});
        if (!valueLayouts.isEmpty()) {
            imports.put(Names.VALUE_LAYOUT, valueLayouts.toArray(String[]::new));
        }
        return imports;
    }

    /** {@code structLayout(JAVA_INT.withName("a"), paddingLayout(4), JAVA_LONG.withName("b"))}. */
    private static CodeBlock layout(StructModel struct) {
        List<CodeBlock> members = new ArrayList<>();
        for (FieldModel field : struct.fields()) {
            PlannedField placed = field.placed();
            if (placed.paddingBefore() > 0) {
                members.add(padding(placed.paddingBefore()));
            }
            members.add(CodeBlock.of("$L.withName($S)", memberLayout(field.shape()), field.name()));
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

    private static CodeBlock memberLayout(FieldShape shape) {
        return switch (shape) {
            // The constant's name sits in the format so that JavaPoet applies its static import.
            case FieldShape.Scalar scalar -> CodeBlock.of("$T." + scalar.type().valueLayout(), Names.VALUE_LAYOUT);
            default -> throw new IllegalStateException("no layout for " + shape);
        };
    }

    private static CodeBlock padding(long bytes) {
        return CodeBlock.of("$T.paddingLayout($L)", Names.MEMORY_LAYOUT, bytes);
    }

    private static CodeBlock handle(FieldModel field) {
        return CodeBlock.of("$N.varHandle($T.groupElement($S))", GeneratedNames.LAYOUT, Names.PATH_ELEMENT, field.name());
    }

    private static String fingerprintLiteral(long fingerprint) {
        return String.format("0x%016xL", fingerprint);
    }
}
