package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.sharedstruct.processor.model.Accessor;
import javax.lang.model.element.Modifier;

/**
 * The signature and the unlocked body of each accessor; the synchronized view wraps the same body
 * in its lock. Parameters get fixed names ({@code value}, {@code index}) so that they can never
 * hide the {@code segment} and {@code lock} fields the bodies use.
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
            case GET -> {
            }
            case SET -> method.addParameter(accessor.parameterTypes().get(0), "value");
        }
        return method;
    }

    static CodeBlock body(Accessor accessor) {
        return switch (accessor.kind()) {
            case GET -> CodeBlock.builder().addStatement("return $L", FieldAccess.read(accessor.field(), Names.SEGMENT)).build();
            case SET -> FieldAccess.write(accessor.field(), Names.SEGMENT, "value");
        };
    }
}
