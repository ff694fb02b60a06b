package dev.sharedstruct.cli;

import dev.sharedstruct.StoredLayout;
import dev.sharedstruct.StoredLayout.Field;
import dev.sharedstruct.processor.peers.PeerStruct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The struct a stored layout describes, for the processor's header and module writers: the
 * flattened fields ({@code origin.x}) regrouped into embedded structs. An embedded struct's size,
 * which the text does not say, is the end of its last field rounded up to its alignment, as C
 * makes it; the top struct's and a struct array element's are the stored ones.
 */
final class StoredPeers {
    private StoredPeers() {
    }

    /** The struct of {@code layout}; {@code what} names it in errors. */
    static PeerStruct of(StoredLayout layout, String what) {
        return build(what, layout.fields(), layout.size());
    }

    /** The struct whose fields are {@code fields} (names relative to it); {@code size} -1 for an embedded struct's computed one. */
    private static PeerStruct build(String what, List<Field> fields, long size) {
        // Group the flattened fields by their first name, in the order the first of each appears.
        Map<String, Field> leaves = new LinkedHashMap<>();
        Map<String, List<Field>> groups = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (Field field : fields) {
            int dot = field.name().indexOf('.');
            String head = dot < 0 ? field.name() : field.name().substring(0, dot);
            boolean seen = leaves.containsKey(head) || groups.containsKey(head);
            if (dot < 0 ? seen : leaves.containsKey(head)) {
                throw new BadInput("the stored layout of " + what + " lists the field " + head + " twice");
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
        if (order.isEmpty()) {
            throw new BadInput("the stored layout of " + what + " has no fields");
        }
        List<PeerStruct.Field> members = new ArrayList<>();
        for (String head : order) {
            Field leaf = leaves.get(head);
            if (leaf == null) {
                List<Field> group = groups.get(head);
                long base = group.stream().mapToLong(Field::offset).min().orElseThrow();
                List<Field> relative = group.stream().map(f -> renamed(f, f.name(), base)).toList();
                members.add(new PeerStruct.Field(head, base, new PeerStruct.Nested(build(what + "." + head, relative, -1))));
                continue;
            }
            PeerStruct.Shape shape = switch (leaf.kind()) {
                case SCALAR -> new PeerStruct.Primitive(leaf.type(), 0);
                case PRIMITIVE_ARRAY -> new PeerStruct.Primitive(leaf.type(), leaf.length());
                case STRING -> new PeerStruct.Text(leaf.length());
                case STRUCT_ARRAY -> {
                    if (leaf.elementFields().isEmpty()) {
                        throw new BadInput("the stored layout does not list the fields of " + head
                                + "'s elements (the region was written by an older version), so they cannot be declared");
                    }
                    yield new PeerStruct.StructArray(build(what + "." + head + "[]", leaf.elementFields(), leaf.elementSize()),
                            leaf.length());
                }
            };
            members.add(new PeerStruct.Field(head, leaf.offset(), shape));
        }
        if (size < 0) {
            long end = fields.stream().mapToLong(f -> f.offset() + f.byteSize()).max().orElseThrow();
            size = PeerStruct.roundedUp(end, new PeerStruct(members, end).alignment());
        }
        return new PeerStruct(members, size);
    }

    private static Field renamed(Field field, String name, long base) {
        return new Field(name, field.kind(), field.type(), field.length(), field.offset() - base, field.elementSize(),
                field.elementFields());
    }
}
