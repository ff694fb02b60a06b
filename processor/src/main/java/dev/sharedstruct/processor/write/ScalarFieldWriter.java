package dev.sharedstruct.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.Primitive;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.FieldModel;
import java.util.List;

/** A primitive field: one {@code VarHandle}. */
final class ScalarFieldWriter implements FieldWriter {
    static final ScalarFieldWriter INSTANCE = new ScalarFieldWriter();

    @Override
    public CodeBlock layoutMember(FieldModel field) {
        return CodeBlock.of("$L.withName($S)", valueLayout(primitive(field)), field.name());
    }

    @Override
    public List<FieldSpec> constants(FieldModel field) {
        return List.of(Constants.handle(field));
    }

    @Override
    public Access access(Accessor accessor) {
        FieldModel field = accessor.field();
        return switch (accessor.kind()) {
            case GET -> Access.of(Constants.returning(Constants.read(field, field.javaType(), Names.SEGMENT)));
            case SET -> Access.of(Constants.write(field, Names.SEGMENT, "value"));
            default -> throw new IllegalStateException(accessor.kind() + " on scalar field " + field.name());
        };
    }

    @Override
    public CodeBlock show(FieldModel field, String segment) {
        return Constants.read(field, field.javaType(), segment);
    }

    @Override
    public CodeBlock equal(FieldModel field, String a, String b) {
        Primitive primitive = primitive(field);
        CodeBlock left = Constants.read(field, field.javaType(), a);
        CodeBlock right = Constants.read(field, field.javaType(), b);
        return primitive.comparesWithEquals()
                ? CodeBlock.of("$L == $L", left, right)
                // compare, as records do: NaN equals NaN, and 0.0 differs from -0.0.
                : CodeBlock.of("$T.compare($L, $L) == 0", box(primitive), left, right);
    }

    @Override
    public CodeBlock hash(FieldModel field, String segment) {
        return CodeBlock.of("$T.hashCode($L)", box(primitive(field)), Constants.read(field, field.javaType(), segment));
    }

    /** {@code JAVA_INT}: the constant's name sits in the format so that JavaPoet applies its static import. */
    static CodeBlock valueLayout(Primitive primitive) {
        return CodeBlock.of("$T." + primitive.valueLayout(), Names.VALUE_LAYOUT);
    }

    static ClassName box(Primitive primitive) {
        return ClassName.get("java.lang", primitive.boxName());
    }

    static TypeName typeOf(Primitive primitive) {
        return switch (primitive) {
            case BOOLEAN -> TypeName.BOOLEAN;
            case BYTE -> TypeName.BYTE;
            case SHORT -> TypeName.SHORT;
            case CHAR -> TypeName.CHAR;
            case INT -> TypeName.INT;
            case LONG -> TypeName.LONG;
            case FLOAT -> TypeName.FLOAT;
            case DOUBLE -> TypeName.DOUBLE;
        };
    }

    private static Primitive primitive(FieldModel field) {
        return ((FieldShape.Scalar) field.shape()).type();
    }
}
