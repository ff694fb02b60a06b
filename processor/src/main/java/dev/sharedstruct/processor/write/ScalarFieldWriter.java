package dev.sharedstruct.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.Primitive;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.FieldModel;
import dev.sharedstruct.processor.model.FieldOperation;
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
            case OPERATION -> operation(field, accessor.operation());
            default -> throw new IllegalStateException(accessor.kind() + " on scalar field " + field.name());
        };
    }

    /** Lock-free operations use the handle's atomic access modes; update runs under the lock. */
    private static Access operation(FieldModel field, FieldOperation operation) {
        TypeName type = field.javaType();
        String handle = field.handleName();
        return switch (operation) {
            case COMPARE_AND_SET -> Access.lockFree(Constants.returning(
                    CodeBlock.of("$N.compareAndSet($N, 0L, expected, update)", handle, Names.SEGMENT)));
            case GET_AND_ADD -> Access.lockFree(Constants.returning(
                    CodeBlock.of("($T) $N.getAndAdd($N, 0L, delta)", type, handle, Names.SEGMENT)));
            case ADD_AND_GET -> Access.lockFree(Constants.returning(
                    CodeBlock.of("($T) $N.getAndAdd($N, 0L, delta) + delta", type, handle, Names.SEGMENT)));
            case GET_AND_SET -> Access.lockFree(Constants.returning(
                    CodeBlock.of("($T) $N.getAndSet($N, 0L, value)", type, handle, Names.SEGMENT)));
            case GET_VOLATILE -> Access.lockFree(Constants.returning(
                    CodeBlock.of("($T) $N.getVolatile($N, 0L)", type, handle, Names.SEGMENT)));
            case SET_VOLATILE -> Access.lockFree(CodeBlock.builder()
                    .addStatement("$N.setVolatile($N, 0L, value)", handle, Names.SEGMENT).build());
            case SET_ORDERED -> Access.lockFree(CodeBlock.builder()
                    .addStatement("$N.setRelease($N, 0L, value)", handle, Names.SEGMENT).build());
            case UPDATE -> Access.of(update(field));
        };
    }

    /**
     * Read, apply, write as one step under the lock. Where the handle can compare-and-set (int,
     * long, float, double) the write is a CAS, so that it never overwrites a lock-free
     * {@code getAndAdd} that ran in between.
     */
    private static CodeBlock update(FieldModel field) {
        Primitive primitive = ((FieldShape.Scalar) field.shape()).type();
        TypeName type = field.javaType();
        String handle = field.handleName();
        String apply = switch (primitive) {
            case LONG -> "op.applyAsLong(current)";
            case FLOAT, DOUBLE -> "op.applyAsDouble(current)";
            default -> "op.applyAsInt(current)";
        };
        String narrowing = switch (primitive) {
            case BYTE, SHORT, CHAR, FLOAT -> "(" + primitive.javaName() + ") ";
            default -> "";
        };
        if (primitive == Primitive.INT || primitive == Primitive.LONG || primitive == Primitive.FLOAT
                || primitive == Primitive.DOUBLE) {
            return CodeBlock.builder()
                    .addStatement("$T current", type)
                    .addStatement("$T next", type)
                    .beginControlFlow("do")
                    .addStatement("current = ($T) $N.getVolatile($N, 0L)", type, handle, Names.SEGMENT)
                    .addStatement("next = " + narrowing + apply)
                    .endControlFlow("while (!$N.compareAndSet($N, 0L, current, next))", handle, Names.SEGMENT)
                    .addStatement("return next")
                    .build();
        }
        return CodeBlock.builder()
                .addStatement("$T current = ($T) $N.get($N, 0L)", type, type, handle, Names.SEGMENT)
                .addStatement("$T next = " + narrowing + apply, type)
                .addStatement("$N.set($N, 0L, next)", handle, Names.SEGMENT)
                .addStatement("return next")
                .build();
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
