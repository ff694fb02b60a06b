package dev.sharedstruct;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes a layout text with field kinds ({@link LayoutDescription#of(StructType)}). A
 * {@code StructLayout} says "32 bytes" or "an int" where the field is a {@code String} or an
 * enum; the interface's getter says which, so a tool can later decode the struct from the region
 * alone. The texts are cached per interface: they are written whenever a struct is named.
 */
final class FieldKinds {
    private static final ClassValue<String> CACHE = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            StructLayout layout = Structs.type(type).layout();
            StringBuilder text = new StringBuilder();
            describe(layout, type, "", 0, text);
            return text.append("size=").append(layout.byteSize()).append(";").append(LayoutDescription.KINDS_MARK).toString();
        }
    };

    private FieldKinds() {
    }

    static void describe(GroupLayout group, Class<?> type, String prefix, long base, StringBuilder text) {
        long offset = base;
        for (MemoryLayout member : group.memberLayouts()) {
            if (!(member instanceof PaddingLayout)) {
                String field = member.name().orElse("?");
                String name = prefix + field;
                Class<?> declared = getterType(type, field);
                switch (member) {
                    case StructLayout nested -> describe(nested, componentOrSelf(declared), name + ".", offset, text);
                    case SequenceLayout sequence when sequence.elementLayout() instanceof StructLayout element -> {
                        text.append(name).append(':').append(LayoutDescription.typeOf(member)).append('@').append(offset).append(';');
                        describe(element, componentOrSelf(declared), name + "[].", 0, text);
                    }
                    default -> text.append(name).append(':').append(kindOf(member, declared)).append('@').append(offset).append(';');
                }
            }
            offset += member.byteSize();
        }
    }

    /** {@code string[8]} for a text field, {@code enum{A,B}} for an enum, else the C-level type. */
    private static String kindOf(MemoryLayout member, Class<?> declared) {
        if (declared == String.class && member instanceof SequenceLayout sequence) {
            return "string[" + sequence.elementCount() + "]";
        }
        if (declared != null && declared.isEnum() && declared.getEnumConstants() != null) {
            return "enum{" + Arrays.stream(declared.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(",")) + "}";
        }
        return LayoutDescription.typeOf(member);
    }

    private static Class<?> componentOrSelf(Class<?> type) {
        return type != null && type.isArray() ? type.getComponentType() : type;
    }

    /** The return type of the field's getter ({@code name()}, {@code getName()}, {@code isName()}), or null. */
    private static Class<?> getterType(Class<?> type, String field) {
        if (type == null) {
            return null;
        }
        String capitalized = field.isEmpty() ? field : field.substring(0, 1).toUpperCase(Locale.ROOT) + field.substring(1);
        for (String name : new String[] {field, "get" + capitalized, "is" + capitalized}) {
            for (Method method : type.getMethods()) {
                if (method.getName().equals(name) && method.getParameterCount() == 0 && method.getReturnType() != void.class
                        && !Modifier.isStatic(method.getModifiers())) {
                    return method.getReturnType();
                }
            }
        }
        return null;
    }

    /** The layout text with kinds of the {@code @SharedStruct} interface {@code type}. */
    static String of(Class<?> type) {
        return CACHE.get(type);
    }
}
