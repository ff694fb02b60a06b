package dev.sharedstruct.processor.model;

import dev.sharedstruct.processor.layout.Primitive;
import java.util.EnumSet;
import java.util.Set;

/**
 * Operations on a primitive field beyond get and set, recognised by name as Chronicle Values
 * does: {@code compareAndSetCount(expected, update)} works on field {@code count}. The lock-free
 * ones act on the shared word directly; {@link #UPDATE} runs under the struct's lock.
 */
public enum FieldOperation {
    COMPARE_AND_SET("compareAndSet", EnumSet.of(Primitive.INT, Primitive.LONG), "boolean %1$s(%2$s expected, %2$s update)"),
    GET_AND_ADD("getAndAdd", EnumSet.of(Primitive.INT, Primitive.LONG), "%2$s %1$s(%2$s delta)"),
    ADD_AND_GET("addAndGet", EnumSet.of(Primitive.INT, Primitive.LONG), "%2$s %1$s(%2$s delta)"),
    GET_AND_SET("getAndSet", EnumSet.of(Primitive.INT, Primitive.LONG), "%2$s %1$s(%2$s value)"),
    UPDATE("update", EnumSet.complementOf(EnumSet.of(Primitive.BOOLEAN)), "%2$s %1$s(%3$s op)"),
    GET_VOLATILE("getVolatile", EnumSet.allOf(Primitive.class), "%2$s %1$s()"),
    SET_VOLATILE("setVolatile", EnumSet.allOf(Primitive.class), "void %1$s(%2$s value)"),
    SET_ORDERED("setOrdered", EnumSet.allOf(Primitive.class), "void %1$s(%2$s value)");

    private final String prefix;
    private final Set<Primitive> fieldTypes;
    private final String signature;

    FieldOperation(String prefix, Set<Primitive> fieldTypes, String signature) {
        this.prefix = prefix;
        this.fieldTypes = fieldTypes;
        this.signature = signature;
    }

    /** The method name's start: {@code getAndAdd}. */
    public String prefix() {
        return prefix;
    }

    /** Field types the operation works on. */
    public Set<Primitive> fieldTypes() {
        return fieldTypes;
    }

    /** Whether it reads and writes the shared word without the struct's lock. */
    public boolean isLockFree() {
        return this != UPDATE;
    }

    /** The declaration the operation needs for {@code field} of {@code type}: {@code int getAndAddCount(int delta)}. */
    public String expectedSignature(String method, Primitive type) {
        return String.format(signature, method, type.javaName(), operatorFor(type));
    }

    /** The functional interface {@link #UPDATE} takes for a field of {@code type}. */
    public static String operatorFor(Primitive type) {
        return switch (type) {
            case LONG -> "java.util.function.LongUnaryOperator";
            case FLOAT, DOUBLE -> "java.util.function.DoubleUnaryOperator";
            default -> "java.util.function.IntUnaryOperator";
        };
    }

    /** The operation and field a method name asks for: {@code getAndAddCount} gives GET_AND_ADD on {@code count}. */
    public static Named parse(String methodName) {
        for (FieldOperation operation : values()) {
            String prefix = operation.prefix;
            if (methodName.length() > prefix.length() && methodName.startsWith(prefix)
                    && Character.isUpperCase(methodName.charAt(prefix.length()))) {
                String rest = methodName.substring(prefix.length());
                return new Named(operation, Character.toLowerCase(rest.charAt(0)) + rest.substring(1));
            }
        }
        return null;
    }

    /** An operation and the field it names. */
    public record Named(FieldOperation operation, String field) {
    }
}
