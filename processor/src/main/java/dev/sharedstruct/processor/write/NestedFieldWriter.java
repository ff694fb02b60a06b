package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.FieldModel;
import dev.sharedstruct.processor.model.GeneratedNames;
import java.util.List;

/**
 * An embedded {@code @SharedStruct}: the getter returns a view that shares this struct's lock
 * (or none, in the raw view); the setter copies a snapshot of the value in.
 */
final class NestedFieldWriter implements FieldWriter {
    static final NestedFieldWriter INSTANCE = new NestedFieldWriter();

    @Override
    public CodeBlock layoutMember(FieldModel field) {
        return CodeBlock.of("$T.$N.withName($S)", field.nestedClass(), GeneratedNames.LAYOUT, field.name());
    }

    @Override
    public List<FieldSpec> constants(FieldModel field) {
        return List.of(Constants.offset(field));
    }

    @Override
    public Access access(Accessor accessor) {
        FieldModel field = accessor.field();
        return switch (accessor.kind()) {
            case GET -> Access.lockFree(Constants.returning(
                    CodeBlock.of("nested($L, $N)", type(field), field.offsetName())));
            case SET -> Access.prepared(snapshot(field, "value", "source"),
                    CodeBlock.builder().addStatement("$T.copy(source, 0L, $N, $N, source.byteSize())",
                            Names.MEMORY_SEGMENT, Names.SEGMENT, field.offsetName()).build());
            default -> throw new IllegalStateException(accessor.kind() + " on nested field " + field.name());
        };
    }

    @Override
    public CodeBlock show(FieldModel field, String segment) {
        return CodeBlock.of("$L.describe($L)", type(field), slice(field, segment));
    }

    @Override
    public CodeBlock equal(FieldModel field, String a, String b) {
        return CodeBlock.of("$L.contentEquals($L, $L)", type(field), slice(field, a), slice(field, b));
    }

    @Override
    public CodeBlock hash(FieldModel field, String segment) {
        return CodeBlock.of("$L.contentHashCode($L)", type(field), slice(field, segment));
    }

    /** {@code SharedStruct_Point.TYPE}. */
    static CodeBlock type(FieldModel field) {
        return CodeBlock.of("$T.$N", field.nestedClass(), GeneratedNames.TYPE);
    }

    /** {@code MemorySegment source = contentOf(value, SharedStruct_Point.TYPE, "origin");}. */
    static CodeBlock snapshot(FieldModel field, String value, String target) {
        return CodeBlock.builder()
                .addStatement("$T $N = contentOf($N, $L, $S)", Names.MEMORY_SEGMENT, target, value, type(field), field.name())
                .build();
    }

    private static CodeBlock slice(FieldModel field, String segment) {
        return CodeBlock.of("$N.asSlice($N, $T.$N.byteSize())", segment, field.offsetName(), field.nestedClass(),
                GeneratedNames.LAYOUT);
    }
}
