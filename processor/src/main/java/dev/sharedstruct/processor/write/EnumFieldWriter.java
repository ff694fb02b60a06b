package dev.sharedstruct.processor.write;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.layout.Primitive;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.FieldModel;
import java.util.List;
import javax.lang.model.element.Modifier;

/** An enum stored as its {@code int32_t} ordinal; an ordinal out of range is reported, never guessed. */
final class EnumFieldWriter implements FieldWriter {
    static final EnumFieldWriter INSTANCE = new EnumFieldWriter();

    @Override
    public CodeBlock layoutMember(FieldModel field) {
        return CodeBlock.of("$L.withName($S)", ScalarFieldWriter.valueLayout(Primitive.INT), field.name());
    }

    @Override
    public List<FieldSpec> constants(FieldModel field) {
        FieldSpec values = FieldSpec.builder(ArrayTypeName.of(field.javaType()), field.valuesName(),
                        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$T.values()", field.javaType())
                .build();
        return List.of(Constants.handle(field), values);
    }

    @Override
    public Access access(Accessor accessor) {
        FieldModel field = accessor.field();
        return switch (accessor.kind()) {
            case GET -> Access.of(Constants.returning(CodeBlock.of("$T.enumAt($N, $L, $S)", Names.STRUCT_SUPPORT,
                    field.valuesName(), ordinal(field, Names.SEGMENT), field.name())));
            case SET -> Access.prepared(
                    CodeBlock.builder().addStatement("int ordinal = $T.ordinal(value, $S)", Names.STRUCT_SUPPORT,
                            field.name()).build(),
                    Constants.write(field, Names.SEGMENT, "ordinal"));
            default -> throw new IllegalStateException(accessor.kind() + " on enum field " + field.name());
        };
    }

    @Override
    public CodeBlock show(FieldModel field, String segment) {
        return CodeBlock.of("$T.enumName($N, $L)", Names.STRUCT_SUPPORT, field.valuesName(), ordinal(field, segment));
    }

    @Override
    public CodeBlock equal(FieldModel field, String a, String b) {
        return CodeBlock.of("$L == $L", ordinal(field, a), ordinal(field, b));
    }

    @Override
    public CodeBlock hash(FieldModel field, String segment) {
        return CodeBlock.of("$T.hashCode($L)", ScalarFieldWriter.box(Primitive.INT), ordinal(field, segment));
    }

    private static CodeBlock ordinal(FieldModel field, String segment) {
        return Constants.read(field, TypeName.INT, segment);
    }
}
