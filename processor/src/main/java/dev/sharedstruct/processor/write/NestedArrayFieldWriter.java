package dev.sharedstruct.processor.write;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.FieldModel;
import dev.sharedstruct.processor.model.GeneratedNames;
import java.util.List;

/** A {@code @Length(n)} array of embedded structs: views by index, snapshots copied in. */
final class NestedArrayFieldWriter implements FieldWriter {
    static final NestedArrayFieldWriter INSTANCE = new NestedArrayFieldWriter();

    @Override
    public CodeBlock layoutMember(FieldModel field) {
        return CodeBlock.of("$T.sequenceLayout($L, $T.$N).withName($S)", Names.MEMORY_LAYOUT,
                ((FieldShape.NestedArray) field.shape()).length(), field.nestedClass(), GeneratedNames.LAYOUT, field.name());
    }

    @Override
    public List<FieldSpec> constants(FieldModel field) {
        return List.of(Constants.offset(field),
                Constants.length(field, ((FieldShape.NestedArray) field.shape()).length()));
    }

    @Override
    public Access access(Accessor accessor) {
        FieldModel field = accessor.field();
        CodeBlock type = NestedFieldWriter.type(field);
        return switch (accessor.kind()) {
            case GET -> Access.lockFree(CodeBlock.builder()
                    .addStatement("$T views = new $T[$N]", ArrayTypeName.of(field.elementType()), field.elementType(),
                            field.lengthName())
                    .beginControlFlow("for (int i = 0; i < $N; i++)", field.lengthName())
                    .addStatement("views[i] = nestedAt($L, $N, i, $N, $S)", type, field.offsetName(), field.lengthName(),
                            field.name())
                    .endControlFlow()
                    .addStatement("return views")
                    .build());
            case GET_AT -> Access.lockFree(Constants.returning(CodeBlock.of("nestedAt($L, $N, index, $N, $S)", type,
                    field.offsetName(), field.lengthName(), field.name())));
            case SET_AT -> Access.prepared(
                    ArrayFieldWriter.checkIndex(field).toBuilder().add(NestedFieldWriter.snapshot(field, "value", "source")).build(),
                    CodeBlock.builder().addStatement("$T.copy(source, 0L, $N, $N + index * source.byteSize(), source.byteSize())",
                            Names.MEMORY_SEGMENT, Names.SEGMENT, field.offsetName()).build());
            case SET -> Access.prepared(
                    ArrayFieldWriter.checkWholeArray(field).toBuilder()
                            .addStatement("$T[] sources = new $T[$N]", Names.MEMORY_SEGMENT, Names.MEMORY_SEGMENT,
                                    field.lengthName())
                            .beginControlFlow("for (int i = 0; i < $N; i++)", field.lengthName())
                            .addStatement("sources[i] = contentOf(value[i], $L, $S)", type, field.name())
                            .endControlFlow()
                            .build(),
                    CodeBlock.builder()
                            .beginControlFlow("for (int i = 0; i < $N; i++)", field.lengthName())
                            .addStatement("$T.copy(sources[i], 0L, $N, $N + i * sources[i].byteSize(), sources[i].byteSize())",
                                    Names.MEMORY_SEGMENT, Names.SEGMENT, field.offsetName())
                            .endControlFlow()
                            .build());
            default -> throw new IllegalStateException(accessor.kind() + " on nested array field " + field.name());
        };
    }

    @Override
    public CodeBlock show(FieldModel field, String segment) {
        return CodeBlock.of("$T.describeAll($L, $N, $N, $N)", Names.STRUCT_SUPPORT, NestedFieldWriter.type(field), segment,
                field.offsetName(), field.lengthName());
    }

    @Override
    public CodeBlock equal(FieldModel field, String a, String b) {
        return CodeBlock.of("$T.allEqual($L, $N, $N, $N, $N)", Names.STRUCT_SUPPORT, NestedFieldWriter.type(field), a, b,
                field.offsetName(), field.lengthName());
    }

    @Override
    public CodeBlock hash(FieldModel field, String segment) {
        return CodeBlock.of("$T.hashAll($L, $N, $N, $N)", Names.STRUCT_SUPPORT, NestedFieldWriter.type(field), segment,
                field.offsetName(), field.lengthName());
    }
}
