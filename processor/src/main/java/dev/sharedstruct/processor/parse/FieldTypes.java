package dev.sharedstruct.processor.parse;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.annotation.Length;
import dev.sharedstruct.annotation.SharedStruct;
import dev.sharedstruct.processor.ErrorReporter;
import dev.sharedstruct.processor.Message;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.LayoutPlan;
import dev.sharedstruct.processor.layout.Primitive;
import dev.sharedstruct.processor.model.GeneratedNames;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** Decides what a getter's return type is stored as, or reports why it cannot be stored. */
final class FieldTypes {
    /** The longest array or string: 16 Mi elements. A struct this large belongs in a shared array. */
    static final int MAX_LENGTH = 1 << 24;

    /** Lays out a nested struct, or reports why it cannot (including when it contains the struct itself). */
    interface NestedPlans {
        Optional<LayoutPlan> planOf(TypeElement nested, ExecutableElement getter, String field);
    }

    private final ErrorReporter errors;
    private final NestedPlans nestedPlans;

    FieldTypes(ErrorReporter errors, NestedPlans nestedPlans) {
        this.errors = errors;
        this.nestedPlans = nestedPlans;
    }

    /** The type of the field the getter declares; empty after reporting an error on the getter. */
    Optional<FieldType> resolve(ExecutableElement getter, String field) {
        TypeMirror type = getter.getReturnType();
        if (MissingTypes.isMissing(type)) {
            errors.error(getter, Message.UNRESOLVED_TYPE, field, type);
            return Optional.empty();
        }
        Optional<LengthAnnotation> annotation = LengthAnnotation.on(getter);
        Length length = getter.getAnnotation(Length.class);
        if (annotation.isPresent() && (length.value() < 1 || length.value() > MAX_LENGTH)) {
            errors.error(getter, annotation.get().mirror(), annotation.get().value(), Message.BAD_LENGTH, length.value(),
                    field, MAX_LENGTH);
            return Optional.empty();
        }
        boolean sized = type.getKind() == TypeKind.ARRAY || isString(type);
        if (annotation.isPresent() && !sized) {
            errors.error(getter, annotation.get().mirror(), annotation.get().value(), Message.LENGTH_ON_SCALAR, field, type);
            return Optional.empty();
        }
        if (annotation.isEmpty() && sized) {
            errors.error(getter, Message.MISSING_LENGTH, field, type);
            return Optional.empty();
        }
        if (type.getKind().isPrimitive()) {
            Primitive primitive = primitive(type);
            return Optional.of(new FieldType(new FieldShape.Scalar(primitive), TypeName.get(type), null));
        }
        if (type.getKind() == TypeKind.ARRAY) {
            return array(getter, field, (ArrayType) type, length.value());
        }
        if (isString(type)) {
            return Optional.of(new FieldType(new FieldShape.Text(length.value()), TypeName.get(type), null));
        }
        if (type.getKind() == TypeKind.DECLARED) {
            TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
            if (element.getKind() == ElementKind.ENUM) {
                return Optional.of(new FieldType(enumShape(element), TypeName.get(type), null));
            }
            if (element.getKind() == ElementKind.INTERFACE && couldBeAStruct(element)) {
                if (element.getAnnotation(SharedStruct.class) == null) {
                    errors.error(getter, Message.NOT_A_STRUCT, field, type, element.getSimpleName());
                    return Optional.empty();
                }
                return nestedPlans.planOf(element, getter, field)
                        .map(plan -> new FieldType(new FieldShape.Nested(plan), TypeName.get(type), generatedClassOf(element)));
            }
        }
        errors.error(getter, Message.UNSUPPORTED_TYPE, field, type);
        return Optional.empty();
    }

    private Optional<FieldType> array(ExecutableElement getter, String field, ArrayType type, int length) {
        TypeMirror component = type.getComponentType();
        if (component.getKind() == TypeKind.ARRAY) {
            errors.error(getter, Message.MULTI_DIMENSIONAL, field, type);
            return Optional.empty();
        }
        if (component.getKind().isPrimitive()) {
            return Optional.of(new FieldType(new FieldShape.PrimitiveArray(primitive(component), length),
                    TypeName.get(component), null));
        }
        if (component.getKind() == TypeKind.DECLARED) {
            TypeElement element = (TypeElement) ((DeclaredType) component).asElement();
            if (element.getKind() == ElementKind.INTERFACE && element.getAnnotation(SharedStruct.class) != null) {
                return nestedPlans.planOf(element, getter, field)
                        .map(plan -> new FieldType(new FieldShape.NestedArray(plan, length), TypeName.get(component),
                                generatedClassOf(element)));
            }
            if (element.getKind() == ElementKind.INTERFACE && couldBeAStruct(element)) {
                errors.error(getter, Message.NOT_A_STRUCT, field, component, element.getSimpleName());
                return Optional.empty();
            }
        }
        errors.error(getter, Message.UNSUPPORTED_ARRAY_ELEMENT, field, component);
        return Optional.empty();
    }

    private static FieldShape.EnumOrdinal enumShape(TypeElement element) {
        List<String> constants = element.getEnclosedElements().stream()
                .filter(member -> member.getKind() == ElementKind.ENUM_CONSTANT)
                .map(Element::getSimpleName)
                .map(Object::toString)
                .toList();
        return new FieldShape.EnumOrdinal(element.getQualifiedName().toString(), constants);
    }

    /** A user's own plain interface may be meant as a struct; a generic or JDK one (List, Runnable) is not. */
    private static boolean couldBeAStruct(TypeElement element) {
        String name = element.getQualifiedName().toString();
        return element.getTypeParameters().isEmpty() && !name.startsWith("java.") && !name.startsWith("javax.");
    }

    static ClassName generatedClassOf(TypeElement struct) {
        return GeneratedNames.generatedClass(ClassName.get(struct));
    }

    static Primitive primitive(TypeMirror type) {
        return Primitive.ofJavaName(type.getKind().name().toLowerCase(Locale.ROOT));
    }

    private static boolean isString(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().contentEquals("java.lang.String");
    }
}
