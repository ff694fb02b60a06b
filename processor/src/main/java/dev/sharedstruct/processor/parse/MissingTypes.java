package dev.sharedstruct.processor.parse;

import dev.sharedstruct.annotation.SharedStruct;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Whether a struct mentions a type that does not exist yet, such as one another annotation
 * processor generates in this round. Such a struct is deferred to the next round (as AutoValue
 * does) instead of being refused for an "unsupported type".
 */
public final class MissingTypes {
    private MissingTypes() {
    }

    /**
     * Whether an accessor of {@code struct}, or of a {@code @SharedStruct} it embeds, has a type
     * the compiler cannot resolve yet. Each struct is visited once, so cycles end.
     *
     * @param struct the {@code @SharedStruct} interface
     * @return true if some accessor's return or parameter type is still missing
     */
    public static boolean mentionedBy(TypeElement struct) {
        Set<TypeElement> seen = new HashSet<>();
        Deque<TypeElement> pending = new ArrayDeque<>();
        pending.add(struct);
        while (!pending.isEmpty()) {
            TypeElement next = pending.remove();
            if (!seen.add(next)) {
                continue;
            }
            for (ExecutableElement method : ElementFilter.methodsIn(next.getEnclosedElements())) {
                if (!method.getModifiers().contains(Modifier.ABSTRACT)) {
                    continue;
                }
                if (isMissing(method.getReturnType())) {
                    return true;
                }
                for (VariableElement parameter : method.getParameters()) {
                    if (isMissing(parameter.asType())) {
                        return true;
                    }
                }
                TypeMirror stored = elementOf(method.getReturnType());
                if (stored.getKind() == TypeKind.DECLARED) {
                    TypeElement nested = (TypeElement) ((DeclaredType) stored).asElement();
                    if (nested.getAnnotation(SharedStruct.class) != null) {
                        pending.add(nested);
                    }
                }
            }
        }
        return false;
    }

    /** Whether {@code type}, or an array's element type, is one the compiler could not resolve. */
    static boolean isMissing(TypeMirror type) {
        return elementOf(type).getKind() == TypeKind.ERROR;
    }

    private static TypeMirror elementOf(TypeMirror type) {
        TypeMirror element = type;
        while (element.getKind() == TypeKind.ARRAY) {
            element = ((ArrayType) element).getComponentType();
        }
        return element;
    }
}
