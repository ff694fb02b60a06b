package dev.sharedstruct.processor.parse;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.ErrorReporter;
import dev.sharedstruct.processor.Message;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.FieldSpec;
import dev.sharedstruct.processor.layout.LayoutPlan;
import dev.sharedstruct.processor.layout.LayoutPlanner;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.AccessorKind;
import dev.sharedstruct.processor.model.FieldModel;
import dev.sharedstruct.processor.model.GeneratedNames;
import dev.sharedstruct.processor.model.StructModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 */
public final class StructParser {
    private final Elements elements;
    private final Types types;
    private final ErrorReporter errors;
    private final FieldTypes fieldTypes;

    public StructParser(Elements elements, Types types, ErrorReporter errors) {
        this.elements = elements;
        this.types = types;
        this.errors = errors;
        this.fieldTypes = new FieldTypes(errors);
    }

    /** The model of {@code element}, or empty when it has errors (all of them reported). */
    public Optional<StructModel> parse(Element element) {
        int errorsBefore = errors.errorCount();
        if (element.getKind() != ElementKind.INTERFACE) {
            errors.error(element, Message.NOT_AN_INTERFACE, element.getSimpleName(), kindName(element.getKind()));
            return Optional.empty();
        }
        TypeElement type = (TypeElement) element;
        ClassName interfaceName = ClassName.get(type);
        ClassName generatedName = GeneratedNames.generatedClass(interfaceName);
        checkDeclaration(type, generatedName);

        Map<String, Draft> drafts = new LinkedHashMap<>();
        List<ExecutableElement> accessors = accessorsOf(type);
        List<ExecutableElement> wellFormed = new ArrayList<>();
        for (ExecutableElement method : accessors) {
            if (checkSignature(method)) {
                wellFormed.add(method);
            }
        }
        for (ExecutableElement method : wellFormed) {
            if (isGetter(method)) {
                readGetter(method, drafts);
            }
        }
        Map<ExecutableElement, Draft> setters = new HashMap<>();
        for (ExecutableElement method : wellFormed) {
            if (!isGetter(method)) {
                readOther(method, drafts, setters);
            }
        }
        if (drafts.isEmpty() && accessors.isEmpty()) {
            errors.error(type, Message.NO_FIELDS, type.getSimpleName());
        }
        checkNames(type, drafts);
        if (errors.errorCount() != errorsBefore || drafts.values().stream().anyMatch(draft -> draft.shape == null)) {
            return Optional.empty();
        }
        return Optional.of(build(type, interfaceName, generatedName, drafts, accessors, setters));
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

    /** The interface's own abstract methods, in declaration order; default and static ones are left alone. */
    private static List<ExecutableElement> accessorsOf(TypeElement type) {
        return ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(method -> method.getModifiers().contains(Modifier.ABSTRACT))
                .toList();
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

    private void readGetter(ExecutableElement getter, Map<String, Draft> drafts) {
        String field = AccessorNames.getterField(getter);
        Draft existing = drafts.get(field);
        if (existing != null) {
            errors.error(getter, Message.DUPLICATE_GETTER, AccessorNames.signature(existing.getter),
                    AccessorNames.signature(getter), field);
            return;
        }
        if (GeneratedNames.RESERVED_METHODS.contains(getter.getSimpleName().toString())) {
            errors.error(getter, Message.RESERVED_NAME, AccessorNames.signature(getter),
                    "Object." + AccessorNames.signature(getter));
            drafts.put(field, new Draft(field, getter, null));
            return;
        }
        drafts.put(field, new Draft(field, getter, fieldTypes.shapeOf(getter, field).orElse(null)));
    }

    private void readOther(ExecutableElement method, Map<String, Draft> drafts, Map<ExecutableElement, Draft> setters) {
        List<? extends VariableElement> parameters = method.getParameters();
        boolean returnsVoid = method.getReturnType().getKind() == TypeKind.VOID;
        if (parameters.size() != 1) {
            errors.error(method, Message.NOT_AN_ACCESSOR, AccessorNames.signature(method));
            return;
        }
        if (!returnsVoid) {
            errors.error(method, Message.SETTER_NOT_VOID, AccessorNames.signature(method), method.getReturnType());
            return;
        }
        String field = AccessorNames.setterField(method);
        Draft draft = drafts.get(field);
        TypeMirror valueType = parameters.get(0).asType();
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
        setters.put(method, draft);
    }

    /** Generated constants are named after fields: refuse names that would collide. */
    private void checkNames(TypeElement type, Map<String, Draft> drafts) {
        Map<String, String> owners = new HashMap<>();
        for (String fixed : GeneratedNames.FIXED_CONSTANTS) {
            owners.put(fixed, "the generated class");
        }
        for (Draft draft : drafts.values()) {
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
            Map<String, Draft> drafts, List<ExecutableElement> methods, Map<ExecutableElement, Draft> setters) {
        List<FieldSpec> specs = drafts.values().stream().map(draft -> new FieldSpec(draft.name, draft.shape)).toList();
        LayoutPlan plan = LayoutPlanner.plan(type.getSimpleName().toString(), specs);
        Map<String, FieldModel> fields = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            Draft draft = drafts.get(specs.get(i).name());
            fields.put(draft.name, new FieldModel(draft.name, TypeName.get(draft.getter.getReturnType()),
                    plan.fields().get(i)));
        }
        List<Accessor> accessors = new ArrayList<>();
        for (ExecutableElement method : methods) {
            Draft setterOf = setters.get(method);
            AccessorKind kind = setterOf != null ? AccessorKind.SET : AccessorKind.GET;
            String field = setterOf != null ? setterOf.name : AccessorNames.getterField(method);
            accessors.add(new Accessor(method, kind, fields.get(field), TypeName.get(method.getReturnType()),
                    method.getParameters().stream().map(p -> TypeName.get(p.asType())).toList()));
        }
        return new StructModel(type, interfaceName, generatedName, List.copyOf(fields.values()), accessors, plan);
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

    /** A field while its accessors are being collected. */
    private static final class Draft {
        final String name;
        final ExecutableElement getter;
        final FieldShape shape;
        ExecutableElement setter;

        Draft(String name, ExecutableElement getter, FieldShape shape) {
            this.name = name;
            this.getter = getter;
            this.shape = shape;
        }
    }
}
