package dev.sharedstruct.processor.write;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.FieldOperation;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The signature and the code of each accessor; the synchronized view runs the same code with the
 * memory access under its lock. Parameters get fixed names ({@code value}, {@code index}) so that
 * they can never hide the {@code segment} and {@code lock} fields the bodies use.
 */
final class AccessorBodies {
    private AccessorBodies() {
    }

    static MethodSpec.Builder signature(Accessor accessor) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(accessor.methodName())
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(accessor.returnType());
        switch (accessor.kind()) {
            case GET, RAW_GET -> {
            }
            case SET, RAW_SET -> method.addParameter(accessor.parameterTypes().get(0), "value");
            case GET_AT -> method.addParameter(TypeName.INT, "index");
            case SET_AT -> method.addParameter(TypeName.INT, "index").addParameter(accessor.parameterTypes().get(1), "value");
            case OPERATION -> {
                List<String> names = parameterNames(accessor.operation());
                for (int i = 0; i < names.size(); i++) {
                    method.addParameter(accessor.parameterTypes().get(i), names.get(i));
                }
            }
        }
        return method;
    }

    static List<String> parameterNames(FieldOperation operation) {
        return switch (operation) {
            case COMPARE_AND_SET -> List.of("expected", "update");
            case GET_AND_ADD, ADD_AND_GET -> List.of("delta");
            case GET_AND_SET, SET_VOLATILE, SET_ORDERED -> List.of("value");
            case UPDATE -> List.of("op");
            case GET_VOLATILE -> List.of();
        };
    }

    static Access access(Accessor accessor) {
        return FieldWriter.of(accessor.field().shape()).access(accessor);
    }
}
