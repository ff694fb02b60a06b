package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.model.FieldModel;
import dev.sharedstruct.processor.model.StructModel;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * {@code describe}, {@code contentEquals} and {@code contentHashCode} of the generated
 * {@code StructType}: what {@code toString}, {@code equals} and {@code hashCode} of every view
 * use. They read a segment given to them, which for a synchronized view is a snapshot taken
 * under its lock.
 */
final class ContentMethods {
    private static final String CONTENT = "content";

    private ContentMethods() {
    }

    static List<MethodSpec> of(StructModel struct) {
        return List.of(describe(struct), contentEquals(struct), contentHashCode(struct));
    }

    /** {@code Point{x=1.5, y=2.0}}. */
    private static MethodSpec describe(StructModel struct) {
        List<CodeBlock> parts = new ArrayList<>();
        String separator = struct.displayName() + "{";
        for (FieldModel field : struct.fields()) {
            parts.add(CodeBlock.of("$S + $L", separator + field.name() + "=", writer(field).show(field, CONTENT)));
            separator = ", ";
        }
        return override("describe", TypeName.get(String.class))
                .addParameter(Names.MEMORY_SEGMENT, CONTENT)
                .addStatement("return $L\n+ $S", CodeBlock.join(parts, "\n+ "), "}")
                .build();
    }

    private static MethodSpec contentEquals(StructModel struct) {
        List<CodeBlock> comparisons = struct.fields().stream().map(field -> writer(field).equal(field, "a", "b")).toList();
        return override("contentEquals", TypeName.BOOLEAN)
                .addParameter(Names.MEMORY_SEGMENT, "a")
                .addParameter(Names.MEMORY_SEGMENT, "b")
                .addStatement("return $L", CodeBlock.join(comparisons, "\n&& "))
                .build();
    }

    private static MethodSpec contentHashCode(StructModel struct) {
        MethodSpec.Builder method = override("contentHashCode", TypeName.INT)
                .addParameter(Names.MEMORY_SEGMENT, CONTENT);
        List<FieldModel> fields = struct.fields();
        method.addStatement("int hash = $L", writer(fields.get(0)).hash(fields.get(0), CONTENT));
        for (FieldModel field : fields.subList(1, fields.size())) {
            method.addStatement("hash = 31 * hash + $L", writer(field).hash(field, CONTENT));
        }
        return method.addStatement("return hash").build();
    }

    private static FieldWriter writer(FieldModel field) {
        return FieldWriter.of(field.shape());
    }

    private static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(returns);
    }
}
