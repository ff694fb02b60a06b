package dev.sharedstruct.processor.parse;

import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeKind;

/** The field an accessor's name refers to: {@code getX()}, {@code isX()}, {@code setX(v)} and {@code x()} all name {@code x}. */
final class AccessorNames {
    private AccessorNames() {
    }

    /** {@code getCount()} → count, {@code isReady()} (boolean) → ready, {@code count()} → count. */
    static String getterField(ExecutableElement getter) {
        String name = getter.getSimpleName().toString();
        String stripped = stripPrefix(name, "get");
        if (stripped == null && getter.getReturnType().getKind() == TypeKind.BOOLEAN) {
            stripped = stripPrefix(name, "is");
        }
        return stripped == null ? name : stripped;
    }

    /** {@code setCount(v)} → count, {@code count(v)} → count. */
    static String setterField(ExecutableElement setter) {
        String name = setter.getSimpleName().toString();
        String stripped = stripPrefix(name, "set");
        return stripped == null ? name : stripped;
    }

    /** {@code x(int)}: how messages name a method. */
    static String signature(ExecutableElement method) {
        return method.getSimpleName() + method.getParameters().stream()
                .map(parameter -> parameter.asType().toString())
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** The decapitalized rest after {@code prefix}, or null unless an upper-case letter follows it. */
    private static String stripPrefix(String name, String prefix) {
        if (name.length() <= prefix.length() || !name.startsWith(prefix)
                || !Character.isUpperCase(name.charAt(prefix.length()))) {
            return null;
        }
        String rest = name.substring(prefix.length());
        // As JavaBeans do: getURL names URL, getUrl names url.
        if (rest.length() > 1 && Character.isUpperCase(rest.charAt(1))) {
            return rest;
        }
        return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
    }
}
