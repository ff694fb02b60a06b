package dev.sharedstruct.cli;

import dev.sharedstruct.StoredLayout;
import dev.sharedstruct.StoredLayout.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A struct as {@code emit} declares it, rebuilt from a stored layout: the flattened fields
 * ({@code origin.x}) regrouped into nested structs, every name made an identifier of the target
 * language, and every struct named. The top struct is named after the Java type; an embedded one
 * {@code <Parent>_<field>} (the stored layout does not name their types), a {@code _} added until
 * the name is unique. Names are given parent first, then each field's struct in field order, as
 * python/sharedstruct/emit.py gives them.
 *
 * @param name the struct's identifier
 * @param members its fields in layout order
 * @param size its size in C: the region's for the top struct and a struct array's element; for an
 *     embedded struct (whose size the text does not say) the end of its last field rounded up to its alignment
 */
record EmittedStruct(String name, List<Member> members, long size) {

    /** One field: its identifier, the name the region stores, its offset in the struct, and its shape. */
    record Member(String identifier, String stored, long offset, Shape shape) {
    }

    /** What a member holds. */
    sealed interface Shape {
    }

    /** A primitive of the stored layout's Java type ({@code int}); {@code length} 0 for a scalar. */
    record Primitive(String type, int length) implements Shape {
    }

    /** UTF-8 text in {@code bytes} bytes ({@code char[N]}). */
    record Text(int bytes) implements Shape {
    }

    /** An embedded struct. */
    record Nested(EmittedStruct struct) implements Shape {
    }

    /** {@code length} structs in a row. */
    record StructArray(EmittedStruct element, int length) implements Shape {
    }

    private static final Map<String, Integer> PRIMITIVE_BYTES = Map.of("boolean", 1, "byte", 1, "short", 2, "char", 2,
            "int", 4, "long", 8, "float", 4, "double", 8);

    /** The struct of {@code layout}, named from the Java type's binary name {@code type}. */
    static EmittedStruct of(StoredLayout layout, String type, EmitLanguage language) {
        String simple = type.substring(type.lastIndexOf('.') + 1);
        simple = simple.substring(simple.lastIndexOf('$') + 1);
        Set<String> structNames = new HashSet<>();
        String name = unique(language.identifier(simple.isEmpty() ? "Struct" : simple), structNames);
        return build(name, layout.fields(), layout.size(), language, structNames);
    }

    /** The struct's alignment in C: its most aligned member's. */
    long alignment() {
        long alignment = 1;
        for (Member member : members) {
            alignment = Math.max(alignment, switch (member.shape()) {
                case Primitive primitive -> PRIMITIVE_BYTES.get(primitive.type());
                case Text text -> 1L;
                case Nested nested -> nested.struct().alignment();
                case StructArray array -> array.element().alignment();
            });
        }
        return alignment;
    }

    /** Every struct this one is made of, embedded ones first (each before the struct using it), this one last. */
    List<EmittedStruct> withEmbedded() {
        List<EmittedStruct> ordered = new ArrayList<>();
        addEmbeddedFirst(ordered);
        return ordered;
    }

    private void addEmbeddedFirst(List<EmittedStruct> ordered) {
        for (Member member : members) {
            switch (member.shape()) {
                case Nested nested -> nested.struct().addEmbeddedFirst(ordered);
                case StructArray array -> array.element().addEmbeddedFirst(ordered);
                default -> {
                }
            }
        }
        ordered.add(this);
    }

    /**
     * The struct named {@code name} whose fields are {@code fields} (names relative to it, dotted
     * for its embedded structs); {@code size} its size, or -1 for an embedded struct's computed one.
     */
    private static EmittedStruct build(String name, List<Field> fields, long size, EmitLanguage language, Set<String> structNames) {
        // Group the flattened fields by their first name, in the order the first of each appears.
        Map<String, Field> leaves = new LinkedHashMap<>();
        Map<String, List<Field>> groups = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (Field field : fields) {
            int dot = field.name().indexOf('.');
            String head = dot < 0 ? field.name() : field.name().substring(0, dot);
            boolean seen = leaves.containsKey(head) || groups.containsKey(head);
            if (dot < 0 ? seen : leaves.containsKey(head)) {
                throw new BadInput("the stored layout of " + name + " lists the field " + head + " twice");
            }
            if (dot < 0) {
                leaves.put(head, field);
            } else {
                groups.computeIfAbsent(head, h -> new ArrayList<>()).add(renamed(field, field.name().substring(dot + 1), 0));
            }
            if (!seen) {
                order.add(head);
            }
        }
        List<Member> members = new ArrayList<>();
        Set<String> identifiers = new HashSet<>();
        for (String head : order) {
            String identifier = unique(language.identifier(head), identifiers);
            Field leaf = leaves.get(head);
            if (leaf == null) {
                List<Field> group = groups.get(head);
                long base = group.stream().mapToLong(Field::offset).min().orElseThrow();
                List<Field> relative = group.stream().map(f -> renamed(f, f.name(), base)).toList();
                String nestedName = unique(language.identifier(name + "_" + identifier), structNames);
                EmittedStruct nested = build(nestedName, relative, -1, language, structNames);
                members.add(new Member(identifier, head, base, new Nested(nested)));
                continue;
            }
            Shape shape = switch (leaf.kind()) {
                case SCALAR -> new Primitive(leaf.type(), 0);
                case PRIMITIVE_ARRAY -> new Primitive(leaf.type(), leaf.length());
                case STRING -> new Text(leaf.length());
                case STRUCT_ARRAY -> {
                    if (leaf.elementFields().isEmpty()) {
                        throw new BadInput("the stored layout does not list the fields of " + head
                                + "'s elements (the region was written by an older version), so they cannot be declared");
                    }
                    String elementName = unique(language.identifier(name + "_" + identifier), structNames);
                    yield new StructArray(build(elementName, leaf.elementFields(), leaf.elementSize(), language, structNames),
                            leaf.length());
                }
            };
            members.add(new Member(identifier, head, leaf.offset(), shape));
        }
        if (members.isEmpty()) {
            throw new BadInput("the stored layout of " + name + " has no fields");
        }
        EmittedStruct struct = new EmittedStruct(name, members, 0);
        if (size < 0) {
            long end = fields.stream().mapToLong(f -> f.offset() + f.byteSize()).max().orElseThrow();
            long alignment = struct.alignment();
            size = (end + alignment - 1) / alignment * alignment;
        }
        return new EmittedStruct(name, members, size);
    }

    private static Field renamed(Field field, String name, long base) {
        return new Field(name, field.kind(), field.type(), field.length(), field.offset() - base, field.elementSize(),
                field.elementFields());
    }

    /** {@code identifier}, with {@code _} added until it is not in {@code taken}; then taken. */
    private static String unique(String identifier, Set<String> taken) {
        String candidate = identifier;
        while (!taken.add(candidate)) {
            candidate += "_";
        }
        return candidate;
    }
}
