package dev.sharedstruct.processor.peers;

import dev.sharedstruct.processor.peers.PeerStruct.Field;
import dev.sharedstruct.processor.peers.PeerStruct.Nested;
import dev.sharedstruct.processor.peers.PeerStruct.StructArray;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link PeerStruct} with every name made an identifier of the target language and every
 * struct named. The top struct is named after the Java type's simple name; an embedded one
 * {@code <Parent>_<field>} (the stored layout does not name their types, and the processor names
 * them the same way so that its output is {@code emit}'s), made unique by
 * {@link PeerLanguage#unique}. Names are given parent first, then each field's struct in field order, as
 * python/sharedstruct/emit.py gives them.
 *
 * @param name the struct's identifier
 * @param members its fields in layout order
 * @param size its size in C
 */
record NamedStruct(String name, List<Member> members, long size) {

    /** One field: its identifier, its offset, what it holds, and its struct's name when it holds structs. */
    record Member(String identifier, long offset, PeerStruct.Shape shape, NamedStruct struct) {
    }

    /** The named top struct of {@code declaration} in {@code language}. */
    static NamedStruct of(PeerDeclaration declaration, PeerLanguage language) {
        Set<String> structNames = new HashSet<>();
        String simple = declaration.simpleName();
        String name = PeerLanguage.unique(simple.isEmpty() ? "Struct" : simple, language::typeIdentifier, structNames);
        return named(name, declaration.struct(), language, structNames);
    }

    private static NamedStruct named(String name, PeerStruct struct, PeerLanguage language, Set<String> structNames) {
        List<Member> members = new ArrayList<>();
        Set<String> identifiers = new HashSet<>();
        for (Field field : struct.fields()) {
            String identifier = PeerLanguage.unique(field.name(), language::identifier, identifiers);
            NamedStruct embedded = switch (field.shape()) {
                case Nested nested -> named(PeerLanguage.unique(name + "_" + identifier, language::typeIdentifier, structNames),
                        nested.struct(), language, structNames);
                case StructArray array -> named(PeerLanguage.unique(name + "_" + identifier, language::typeIdentifier, structNames),
                        array.element(), language, structNames);
                default -> null;
            };
            members.add(new Member(identifier, field.offset(), field.shape(), embedded));
        }
        return new NamedStruct(name, members, struct.size());
    }

    /** Every struct this one is made of, embedded ones first (each before the struct using it), this one last. */
    List<NamedStruct> withEmbedded() {
        List<NamedStruct> ordered = new ArrayList<>();
        addEmbeddedFirst(ordered);
        return ordered;
    }

    private void addEmbeddedFirst(List<NamedStruct> ordered) {
        for (Member member : members) {
            if (member.struct() != null) {
                member.struct().addEmbeddedFirst(ordered);
            }
        }
        ordered.add(this);
    }
}
