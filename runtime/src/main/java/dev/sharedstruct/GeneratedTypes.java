package dev.sharedstruct;

import dev.sharedstruct.annotation.SharedStruct;
import dev.sharedstruct.internal.StructType;

/**
 * Finds the class the annotation processor generated for a {@code @SharedStruct} interface:
 * {@code SharedStruct_<Name>} in the interface's package, where a nested interface's name joins
 * its enclosing names with '_' ({@code Outer.Inner} gives {@code SharedStruct_Outer_Inner}).
 * Reflection runs once per interface; {@link Structs} caches the result.
 */
final class GeneratedTypes {
    static final String PREFIX = "SharedStruct_";

    private GeneratedTypes() {
    }

    static String generatedName(Class<?> type) {
        String packageName = type.getPackageName();
        String nested = type.getName().substring(packageName.isEmpty() ? 0 : packageName.length() + 1);
        return (packageName.isEmpty() ? "" : packageName + ".") + PREFIX + nested.replace('$', '_');
    }

    static StructType<?> find(Class<?> type) {
        if (!type.isInterface() || type.isAnnotation()) {
            throw new IllegalArgumentException(type.getName()
                    + " is not an interface; shared structs are interfaces annotated @SharedStruct");
        }
        if (!type.isAnnotationPresent(SharedStruct.class)) {
            throw new IllegalArgumentException(type.getName() + " is not annotated @SharedStruct");
        }
        String name = generatedName(type);
        Class<?> generated;
        try {
            generated = Class.forName(name, true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no generated implementation " + name + " for " + type.getName()
                    + ": is dev.sharedstruct:sharedstruct-processor on the annotation processor path"
                    + " (maven-compiler-plugin annotationProcessorPaths) of the build that compiled it?", e);
        }
        Object value;
        try {
            value = generated.getField("TYPE").get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + name + ".TYPE; if " + type.getName()
                    + " is in a named module, export its package to dev.sharedstruct", e);
        }
        if (!(value instanceof StructType<?> structType) || structType.type() != type) {
            throw new IllegalStateException(name + ".TYPE is not the StructType of " + type.getName()
                    + "; rebuild it with the sharedstruct processor of this runtime's version");
        }
        return structType;
    }
}
