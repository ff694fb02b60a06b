package dev.sharedstruct.processor.parse;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.annotation.Length;
import dev.sharedstruct.processor.ErrorReporter;
import dev.sharedstruct.processor.Message;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.FieldSpec;
import dev.sharedstruct.processor.layout.LayoutPlan;
import dev.sharedstruct.processor.layout.LayoutPlanner;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.AccessorKind;
import dev.sharedstruct.processor.layout.Primitive;
import dev.sharedstruct.processor.model.FieldModel;
import dev.sharedstruct.processor.model.FieldOperation;
import dev.sharedstruct.processor.model.GeneratedNames;
import dev.sharedstruct.processor.model.StructModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads a {@code @SharedStruct} element into a {@link StructModel}, reporting every problem on
 * the element it is about. Problems do not stop the parse early: one run shows them all.
 *
 * <p>Getters (no parameters, a result) declare the fields, in order. Every other abstract method
 * is then read against those fields: a setter, an indexed getter or setter of an array field, or
 * the raw byte view of a string field ({@code rawName()}, {@code rawName(byte[])}).
 *
 * <p>One parser serves a processing round: a struct embedded in another is parsed once, and a
 * struct that contains itself is caught on the field that closes the cycle.
 */
public final class StructParser {
    private static final String RAW_PREFIX = "raw";

    private final Elements elements;
    private final Types types;
    private final ErrorReporter errors;
    private final FieldTypes fieldTypes;
    private final Map<TypeElement, Optional<StructModel>> parsed = new HashMap<>();
    private final SequencedSet<TypeElement> inProgress = new LinkedHashSet<>();

    public StructParser(Elements elements, Types types, ErrorReporter errors) {
        this.elements = elements;
        this.types = types;
        this.errors = errors;
        this.fieldTypes = new FieldTypes(errors, this::nestedPlan);
    }

    /** The model of {@code element}, or empty when it has errors (all of them reported, once). */
    public Optional<StructModel> parse(Element element) {
        if (element.getKind() != ElementKind.INTERFACE) {
            errors.error(element, Message.NOT_AN_INTERFACE, element.getSimpleName(), kindName(element.getKind()));
            return Optional.empty();
        }
        TypeElement type = (TypeElement) element;
        Optional<StructModel> known = parsed.get(type);
        if (known != null) {
            return known;
        }
        inProgress.add(type);
        try {
            Optional<StructModel> model = parseInterface(type);
            parsed.put(type, model);
            return model;
        } finally {
            inProgress.remove(type);
        }
    }

    private Optional<LayoutPlan> nestedPlan(TypeElement nested, ExecutableElement getter, String field) {
        if (inProgress.contains(nested)) {
            List<String> path = new ArrayList<>();
            boolean inCycle = false;
            for (TypeElement struct : inProgress) {
                inCycle |= struct == nested;
                if (inCycle) {
                    path.add(struct.getSimpleName().toString());
                }
            }
            path.add(nested.getSimpleName().toString());
            errors.error(getter, Message.CYCLE, field, nested.getSimpleName(), String.join(" -> ", path));
            return Optional.empty();
        }
        return parse(nested).map(StructModel::plan);
    }

    private Optional<StructModel> parseInterface(TypeElement type) {
        int errorsBefore = errors.errorCount();
        ClassName interfaceName = ClassName.get(type);
        ClassName generatedName = GeneratedNames.generatedClass(interfaceName);
        checkDeclaration(type, generatedName);

        List<ExecutableElement> methods = ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(method -> method.getModifiers().contains(Modifier.ABSTRACT))
                .toList();
        List<ExecutableElement> wellFormed = methods.stream().filter(this::checkSignature).toList();

        Map<String, Draft> fields = new LinkedHashMap<>();
        Map<ExecutableElement, Role> roles = new HashMap<>();
        List<ExecutableElement> getters = wellFormed.stream().filter(StructParser::isGetter).toList();
        for (ExecutableElement getter : getters) {
            if (!isRawView(getter, getters) && !isVolatileRead(getter, getters)) {
                readGetter(getter, fields, roles);
            }
        }
        for (ExecutableElement method : wellFormed) {
            if (!roles.containsKey(method)) {
                readOther(method, fields, roles);
            }
        }
        if (methods.isEmpty()) {
            errors.error(type, Message.NO_FIELDS, type.getSimpleName());
        }
        checkNames(type, fields);
        if (errors.errorCount() != errorsBefore || fields.values().stream().anyMatch(draft -> draft.type == null)) {
            return Optional.empty();
        }
        return plan(type, fields).map(plan -> build(type, interfaceName, generatedName, fields, methods, roles, plan));
    }

    /** The layout, or empty after reporting a struct over the size limit on the field that crosses it. */
    private Optional<LayoutPlan> plan(TypeElement type, Map<String, Draft> drafts) {
        List<FieldSpec> specs = drafts.values().stream().map(draft -> new FieldSpec(draft.name, draft.type.shape())).toList();
        try {
            return Optional.of(LayoutPlanner.plan(type.getSimpleName().toString(), specs));
        } catch (LayoutPlanner.TooLargeException e) {
            Draft field = drafts.get(e.field());
            errors.error(field.getter, Message.STRUCT_TOO_LARGE, type.getSimpleName(), LayoutPlanner.MAX_STRUCT_SIZE,
                    field.name, e.end());
            return Optional.empty();
        }
    }

    private void checkDeclaration(TypeElement type, ClassName generatedName) {
        if (!type.getTypeParameters().isEmpty()) {
            errors.error(type, Message.GENERIC_INTERFACE, type.getSimpleName(), typeParameters(type.getTypeParameters()));
        }
        for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
            if (t.getModifiers().contains(Modifier.PRIVATE) || t.getNestingKind() == NestingKind.LOCAL
                    || t.getNestingKind() == NestingKind.ANONYMOUS) {
                errors.error(type, Message.NOT_ACCESSIBLE, type.getSimpleName(), generatedName.simpleName());
                break;
            }
        }
        for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
            Element owner = method.getEnclosingElement();
            if (owner != type && method.getModifiers().contains(Modifier.ABSTRACT)
                    && owner.getKind() == ElementKind.INTERFACE) {
                errors.error(type, Message.INHERITED_ABSTRACT, type.getSimpleName(),
                        AccessorNames.signature(method), owner.getSimpleName());
            }
        }
    }

    /** Rules every accessor obeys whatever it does; false after reporting a violation. */
    private boolean checkSignature(ExecutableElement method) {
        boolean ok = true;
        if (!method.getTypeParameters().isEmpty()) {
            errors.error(method, Message.GENERIC_METHOD, AccessorNames.signature(method),
                    typeParameters(method.getTypeParameters()));
            ok = false;
        }
        for (TypeMirror thrown : method.getThrownTypes()) {
            if (isChecked(thrown)) {
                errors.error(method, Message.THROWS_CHECKED, AccessorNames.signature(method), thrown);
                ok = false;
            }
        }
        return ok;
    }

    private static boolean isGetter(ExecutableElement method) {
        return method.getParameters().isEmpty() && method.getReturnType().getKind() != TypeKind.VOID;
    }

    /** {@code byte[] rawName()} is the byte view of the String field {@code name}, not a field of its own. */
    private boolean isRawView(ExecutableElement getter, List<ExecutableElement> getters) {
        String target = rawTarget(getter);
        return target != null && getter.getAnnotation(Length.class) == null && isByteArray(getter.getReturnType())
                && getters.stream().anyMatch(other -> other != getter && AccessorNames.getterField(other).equals(target)
                        && isString(other.getReturnType()));
    }

    /** {@code int getVolatileCount()} reads field {@code count}; it declares no field of its own. */
    private static boolean isVolatileRead(ExecutableElement getter, List<ExecutableElement> getters) {
        FieldOperation.Named named = FieldOperation.parse(getter.getSimpleName().toString());
        return named != null && named.operation() == FieldOperation.GET_VOLATILE
                && getters.stream().anyMatch(other -> other != getter && AccessorNames.getterField(other).equals(named.field()));
    }

    private void readGetter(ExecutableElement getter, Map<String, Draft> fields, Map<ExecutableElement, Role> roles) {
        String field = AccessorNames.getterField(getter);
        Draft existing = fields.get(field);
        if (existing != null) {
            errors.error(getter, Message.DUPLICATE_GETTER, AccessorNames.signature(existing.getter),
                    AccessorNames.signature(getter), field);
            return;
        }
        Draft draft = new Draft(field, getter);
        fields.put(field, draft);
        roles.put(getter, new Role(AccessorKind.GET, draft, null));
        if (GeneratedNames.RESERVED_METHODS.contains(getter.getSimpleName().toString())) {
            errors.error(getter, Message.RESERVED_NAME, AccessorNames.signature(getter),
                    "Object." + AccessorNames.signature(getter));
            return;
        }
        draft.type = fieldTypes.resolve(getter, field).orElse(null);
    }

    private void readOther(ExecutableElement method, Map<String, Draft> fields, Map<ExecutableElement, Role> roles) {
        Optional<LengthAnnotation> length = LengthAnnotation.on(method);
        if (length.isPresent()) {
            errors.error(method, length.get().mirror(), length.get().value(), Message.LENGTH_NOT_ON_GETTER,
                    AccessorNames.signature(method));
            return;
        }
        List<? extends VariableElement> parameters = method.getParameters();
        boolean returnsVoid = method.getReturnType().getKind() == TypeKind.VOID;
        Draft rawOf = rawTarget(method) == null ? null : fields.get(rawTarget(method));
        // The rule for names like updateTime: a method named after a declared field is that field's
        // accessor (void updateTime(long) sets field updateTime); only otherwise is it an operation
        // on another field (long updateTime(LongUnaryOperator) updates field time).
        boolean namesAField = fields.containsKey(AccessorNames.setterField(method))
                || fields.containsKey(AccessorNames.getterField(method));
        FieldOperation.Named operation = namesAField ? null : FieldOperation.parse(method.getSimpleName().toString());
        if (operation != null && fields.containsKey(operation.field())) {
            readOperation(method, operation.operation(), fields.get(operation.field()), roles);
        } else if (operation != null) {
            errors.error(method, Message.OPERATION_WITHOUT_FIELD, AccessorNames.signature(method),
                    operation.operation().prefix(), operation.field(), operation.field());
        } else if (rawOf != null && isString(rawOf.getter.getReturnType())) {
            readRawView(method, rawOf, roles);
        } else if (parameters.size() == 1 && !returnsVoid) {
            readIndexedGetter(method, fields, roles);
        } else if (parameters.size() == 1) {
            readSetter(method, fields, roles);
        } else if (parameters.size() == 2 && returnsVoid) {
            readIndexedSetter(method, fields, roles);
        } else {
            errors.error(method, Message.NOT_AN_ACCESSOR, AccessorNames.signature(method));
        }
    }

    private void readRawView(ExecutableElement method, Draft field, Map<ExecutableElement, Role> roles) {
        List<? extends VariableElement> parameters = method.getParameters();
        if (isGetter(method) && isByteArray(method.getReturnType())) {
            roles.put(method, new Role(AccessorKind.RAW_GET, field, null));
        } else if (parameters.size() == 1 && method.getReturnType().getKind() == TypeKind.VOID
                && isByteArray(parameters.get(0).asType())) {
            roles.put(method, new Role(AccessorKind.RAW_SET, field, null));
        } else {
            errors.error(method, Message.NOT_AN_ACCESSOR, AccessorNames.signature(method));
        }
    }

    /** {@code compareAndSetCount(int expected, int update)} and the other operations on a primitive field. */
    private void readOperation(ExecutableElement method, FieldOperation operation, Draft field, Map<ExecutableElement, Role> roles) {
        if (field.type == null) {
            return;
        }
        String fieldTypes = operation.fieldTypes().stream().map(Primitive::javaName).collect(Collectors.joining(", "));
        if (!(field.type.shape() instanceof FieldShape.Scalar scalar) || !operation.fieldTypes().contains(scalar.type())) {
            errors.error(method, Message.OPERATION_FIELD_TYPE, AccessorNames.signature(method), fieldTypes, field.name,
                    field.getter.getReturnType());
            return;
        }
        String expected = operation.expectedSignature(method.getSimpleName().toString(), scalar.type());
        String actual = method.getReturnType() + " " + method.getSimpleName() + method.getParameters().stream()
                .map(p -> p.asType() + " " + p.getSimpleName()).collect(Collectors.joining(", ", "(", ")"));
        if (!withoutParameterNames(expected).equals(withoutParameterNames(actual))) {
            errors.error(method, Message.OPERATION_SIGNATURE, AccessorNames.signature(method), expected, field.name);
            return;
        }
        roles.put(method, new Role(AccessorKind.OPERATION, field, operation));
    }

    /** {@code int getAndAddCount(int delta)} → {@code int getAndAddCount(int)}. */
    private static String withoutParameterNames(String signature) {
        return signature.replaceAll(" \\w+(,|\\))", "$1");
    }

    private void readSetter(ExecutableElement method, Map<String, Draft> fields, Map<ExecutableElement, Role> roles) {
        String field = AccessorNames.setterField(method);
        Draft draft = fields.get(field);
        TypeMirror valueType = method.getParameters().get(0).asType();
        if (draft == null) {
            errors.error(method, Message.SETTER_WITHOUT_GETTER, AccessorNames.signature(method), field, valueType, field);
            return;
        }
        if (!types.isSameType(valueType, draft.getter.getReturnType())) {
            errors.error(method, Message.TYPE_MISMATCH, AccessorNames.signature(method), valueType,
                    AccessorNames.signature(draft.getter), draft.getter.getReturnType());
            return;
        }
        if (draft.setter != null) {
            errors.error(method, Message.DUPLICATE_SETTER, AccessorNames.signature(draft.setter),
                    AccessorNames.signature(method), field);
            return;
        }
        draft.setter = method;
        roles.put(method, new Role(AccessorKind.SET, draft, null));
    }

    /** {@code int samples(int index)}; any other one-parameter method with a result is a setter that returns. */
    private void readIndexedGetter(ExecutableElement method, Map<String, Draft> fields, Map<ExecutableElement, Role> roles) {
        Draft draft = fields.get(AccessorNames.getterField(method));
        if (draft == null || !isArray(draft) || method.getParameters().get(0).asType().getKind() != TypeKind.INT) {
            errors.error(method, Message.SETTER_NOT_VOID, AccessorNames.signature(method), method.getReturnType());
            return;
        }
        TypeMirror element = elementType(draft);
        if (!types.isSameType(method.getReturnType(), element)) {
            errors.error(method, Message.TYPE_MISMATCH, AccessorNames.signature(method), method.getReturnType(),
                    AccessorNames.signature(draft.getter), draft.getter.getReturnType());
            return;
        }
        roles.put(method, new Role(AccessorKind.GET_AT, draft, null));
    }

    /** {@code void samples(int index, int value)}. */
    private void readIndexedSetter(ExecutableElement method, Map<String, Draft> fields, Map<ExecutableElement, Role> roles) {
        Draft draft = fields.get(AccessorNames.setterField(method));
        List<? extends VariableElement> parameters = method.getParameters();
        if (draft == null || !isArray(draft) || parameters.get(0).asType().getKind() != TypeKind.INT) {
            errors.error(method, Message.NOT_AN_ACCESSOR, AccessorNames.signature(method));
            return;
        }
        if (!types.isSameType(parameters.get(1).asType(), elementType(draft))) {
            errors.error(method, Message.TYPE_MISMATCH, AccessorNames.signature(method), parameters.get(1).asType(),
                    AccessorNames.signature(draft.getter), draft.getter.getReturnType());
            return;
        }
        roles.put(method, new Role(AccessorKind.SET_AT, draft, null));
    }

    /** Generated constants are named after fields: refuse names that would collide. */
    private void checkNames(TypeElement type, Map<String, Draft> fields) {
        Map<String, String> owners = new HashMap<>();
        for (String fixed : GeneratedNames.FIXED_CONSTANTS) {
            owners.put(fixed, "the generated class");
        }
        for (Draft draft : fields.values()) {
            for (String constant : GeneratedNames.constantsOf(draft.name)) {
                String owner = owners.putIfAbsent(constant, "field " + draft.name);
                if (owner != null) {
                    errors.error(draft.getter, Message.CONSTANT_CLASH, draft.name, constant, owner);
                    break;
                }
            }
        }
        for (VariableElement constant : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            String name = constant.getSimpleName().toString();
            if (owners.containsKey(name)) {
                errors.error(constant, Message.INTERFACE_CONSTANT_CLASH, name, name);
            }
        }
    }

    private StructModel build(TypeElement type, ClassName interfaceName, ClassName generatedName,
            Map<String, Draft> drafts, List<ExecutableElement> methods, Map<ExecutableElement, Role> roles,
            LayoutPlan plan) {
        Map<Draft, FieldModel> fields = new LinkedHashMap<>();
        int index = 0;
        for (Draft draft : drafts.values()) {
            fields.put(draft, new FieldModel(draft.name, TypeName.get(draft.getter.getReturnType()),
                    draft.type.elementType(), plan.fields().get(index++), draft.type.nestedClass()));
        }
        List<Accessor> accessors = new ArrayList<>();
        for (ExecutableElement method : methods) {
            Role role = roles.get(method);
            accessors.add(new Accessor(method, role.kind(), fields.get(role.field()), TypeName.get(method.getReturnType()),
                    method.getParameters().stream().map(p -> TypeName.get(p.asType())).toList(), role.operation()));
        }
        return new StructModel(type, interfaceName, generatedName, List.copyOf(fields.values()), accessors, plan);
    }

    private static boolean isArray(Draft draft) {
        return draft.type != null && (draft.type.shape() instanceof FieldShape.PrimitiveArray
                || draft.type.shape() instanceof FieldShape.NestedArray);
    }

    private static TypeMirror elementType(Draft draft) {
        return ((javax.lang.model.type.ArrayType) draft.getter.getReturnType()).getComponentType();
    }

    /** {@code rawName} → {@code name}; null for other names. */
    private static String rawTarget(ExecutableElement method) {
        String name = method.getSimpleName().toString();
        if (name.length() <= RAW_PREFIX.length() || !name.startsWith(RAW_PREFIX)
                || !Character.isUpperCase(name.charAt(RAW_PREFIX.length()))) {
            return null;
        }
        return Character.toLowerCase(name.charAt(RAW_PREFIX.length())) + name.substring(RAW_PREFIX.length() + 1);
    }

    private static boolean isByteArray(TypeMirror type) {
        return type.getKind() == TypeKind.ARRAY
                && ((javax.lang.model.type.ArrayType) type).getComponentType().getKind() == TypeKind.BYTE;
    }

    private static boolean isString(TypeMirror type) {
        return type.toString().equals("java.lang.String");
    }

    private boolean isChecked(TypeMirror thrown) {
        TypeMirror runtime = elements.getTypeElement("java.lang.RuntimeException").asType();
        TypeMirror error = elements.getTypeElement("java.lang.Error").asType();
        return !types.isSubtype(thrown, runtime) && !types.isSubtype(thrown, error);
    }

    private static String typeParameters(List<? extends Element> parameters) {
        return parameters.stream().map(Element::toString).collect(Collectors.joining(", ", "<", ">"));
    }

    private static String kindName(ElementKind kind) {
        return switch (kind) {
            case CLASS -> "a class";
            case ENUM -> "an enum";
            case RECORD -> "a record";
            case ANNOTATION_TYPE -> "an annotation type";
            default -> "a " + kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** What a method was read as. */
    private record Role(AccessorKind kind, Draft field, FieldOperation operation) {
    }

    /** A field while its accessors are being collected; its type is null when it could not be resolved. */
    private static final class Draft {
        final String name;
        final ExecutableElement getter;
        FieldType type;
        ExecutableElement setter;

        Draft(String name, ExecutableElement getter) {
            this.name = name;
            this.getter = getter;
        }
    }
}
