package dev.sharedstruct.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import java.util.Set;

/**
 * The names the generated class uses, in one place, so that the parser can refuse a user's name
 * that would collide with one of them.
 */
public final class GeneratedNames {
    /** What the runtime looks for: {@code SharedStruct_Outer_Inner} for {@code Outer.Inner}. */
    public static final String CLASS_PREFIX = "SharedStruct_";
    public static final String LAYOUT = "LAYOUT";
    public static final String FINGERPRINT = "FINGERPRINT";
    public static final String TYPE = "TYPE";
    /** Constants of the generated class that do not come from a field. */
    public static final Set<String> FIXED_CONSTANTS = Set.of(LAYOUT, FINGERPRINT, TYPE);
    /** Object methods whose meaning the generated class fixes (content equality and printing). */
    public static final Set<String> RESERVED_METHODS = Set.of("hashCode", "toString");

    private GeneratedNames() {
    }

    /** The generated class for an interface. */
    public static ClassName generatedClass(ClassName iface) {
        return ClassName.get(iface.packageName(), CLASS_PREFIX + String.join("_", iface.simpleNames()));
    }

    /** The {@code VarHandle} constant of a field: {@code lastValue} → {@code LAST_VALUE_HANDLE}. */
    public static String handle(String field) {
        return constantCase(field) + "_HANDLE";
    }

    /** The byte-offset constant of a field: {@code origin} → {@code ORIGIN_OFFSET}. */
    public static String offset(String field) {
        return constantCase(field) + "_OFFSET";
    }

    /** The element-count constant of an array or string field: {@code samples} → {@code SAMPLES_LENGTH}. */
    public static String length(String field) {
        return constantCase(field) + "_LENGTH";
    }

    /** The constant caching an enum field's {@code values()}: {@code color} → {@code COLOR_VALUES}. */
    public static String values(String field) {
        return constantCase(field) + "_VALUES";
    }

    /** Every constant the generated class may declare for a field. */
    public static List<String> constantsOf(String field) {
        return List.of(handle(field), offset(field), length(field), values(field));
    }

    /** {@code lastValue} → {@code LAST_VALUE}; {@code URL} stays {@code URL}. */
    public static String constantCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(name.charAt(i - 1))
                    && name.charAt(i - 1) != '_') {
                out.append('_');
            }
            out.append(Character.toUpperCase(c));
        }
        return out.toString();
    }
}
