package dev.sharedstruct.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.Primitive;
import dev.sharedstruct.processor.model.FieldModel;

/**
 * Expressions that read and write one field of a struct in a segment; every accessor body and
 * the content methods ({@code toString}, {@code equals}, {@code hashCode}) are built from them.
 */
final class FieldAccess {
    private FieldAccess() {
    }

    /** The field's value in {@code segment}: {@code (double) X_HANDLE.get(segment, 0L)}. */
    static CodeBlock read(FieldModel field, String segment) {
        return switch (field.shape()) {
            case FieldShape.Scalar scalar ->
                    CodeBlock.of("($T) $N.get($N, 0L)", primitive(scalar.type()), field.handleName(), segment);
            default -> throw unsupported(field);
        };
    }

    /** A statement storing {@code value} into the field: {@code X_HANDLE.set(segment, 0L, value);}. */
    static CodeBlock write(FieldModel field, String segment, String value) {
        return switch (field.shape()) {
            case FieldShape.Scalar ignored -> CodeBlock.of("$N.set($N, 0L, $N);\n", field.handleName(), segment, value);
            default -> throw unsupported(field);
        };
    }

    /** Whether the field's values in {@code a} and {@code b} are equal, as a record would compare them. */
    static CodeBlock equal(FieldModel field, String a, String b) {
        return switch (field.shape()) {
            case FieldShape.Scalar scalar when scalar.type().comparesWithEquals() ->
                    CodeBlock.of("$L == $L", read(field, a), read(field, b));
            case FieldShape.Scalar scalar ->
                    CodeBlock.of("$T.compare($L, $L) == 0", box(scalar.type()), read(field, a), read(field, b));
            default -> throw unsupported(field);
        };
    }

    /** The hash of the field's value in {@code segment}. */
    static CodeBlock hash(FieldModel field, String segment) {
        return switch (field.shape()) {
            case FieldShape.Scalar scalar -> CodeBlock.of("$T.hashCode($L)", box(scalar.type()), read(field, segment));
            default -> throw unsupported(field);
        };
    }

    /** The field's value as {@code toString} shows it. */
    static CodeBlock show(FieldModel field, String segment) {
        return read(field, segment);
    }

    static TypeName primitive(Primitive primitive) {
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

    static ClassName box(Primitive primitive) {
        return ClassName.get("java.lang", primitive.boxName());
    }

    private static IllegalStateException unsupported(FieldModel field) {
        return new IllegalStateException("no access code for field " + field.name() + " of shape " + field.shape());
    }
}
