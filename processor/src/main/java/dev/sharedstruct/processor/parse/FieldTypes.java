package dev.sharedstruct.processor.parse;

import dev.sharedstruct.processor.ErrorReporter;
import dev.sharedstruct.processor.Message;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.Primitive;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/** Decides what a getter's return type is stored as, or reports why it cannot be stored. */
final class FieldTypes {
    static final String SUPPORTED = Arrays.stream(Primitive.values())
            .map(Primitive::javaName).collect(Collectors.joining(", "));

    private final ErrorReporter errors;

    FieldTypes(ErrorReporter errors) {
        this.errors = errors;
    }

    /** The shape of the field the getter declares; empty after reporting an error on it. */
    Optional<FieldShape> shapeOf(ExecutableElement getter, String field) {
        TypeMirror type = getter.getReturnType();
        if (type.getKind().isPrimitive()) {
            return Optional.of(new FieldShape.Scalar(Primitive.ofJavaName(type.getKind().name().toLowerCase(java.util.Locale.ROOT))));
        }
        errors.error(getter, Message.UNSUPPORTED_TYPE, field, type, SUPPORTED);
        return Optional.empty();
    }
}
