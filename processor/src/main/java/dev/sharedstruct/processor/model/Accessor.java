package dev.sharedstruct.processor.model;

import com.palantir.javapoet.TypeName;
import java.util.List;
import javax.lang.model.element.ExecutableElement;

/**
 * One abstract method of the interface, classified: what it does, to which field.
 *
 * @param method the interface method (originating element, and where errors point)
 * @param parameterTypes its parameter types, in order
 * @param operation the field operation of an {@link AccessorKind#OPERATION}, else null
 */
public record Accessor(ExecutableElement method, AccessorKind kind, FieldModel field, TypeName returnType,
        List<TypeName> parameterTypes, FieldOperation operation) {

    public Accessor {
        parameterTypes = List.copyOf(parameterTypes);
    }

    public String methodName() {
        return method.getSimpleName().toString();
    }
}
