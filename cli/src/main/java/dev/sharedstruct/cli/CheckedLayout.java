package dev.sharedstruct.cli;

import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionInspector.NamedObject;
import dev.sharedstruct.StoredLayout;
import dev.sharedstruct.StoredLayout.Field;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * A struct object's stored layout, read and checked against the object before {@code show},
 * {@code watch} or {@code emit} walk it.
 *
 * <p>{@code StoredLayout.parse} checks the text's grammar, but the text is a few words of a file
 * anyone may have written, and what it may say is only bounded by the object's bytes: so a struct
 * nested 50,000 deep (the decoder and the writers recurse once per level, and overflowed the
 * stack), or a struct array of 2^63-byte elements (offset plus size wraps, so it passed the parse
 * and reached FFM's bounds check). This refuses, naming the region, the object and the field:
 * <ul>
 *   <li>nesting deeper than {@link #MAX_DEPTH};</li>
 *   <li>a field of no bytes, one that does not end within its struct or element, or one that
 *       overlaps the field before it (the processor writes neither);</li>
 *   <li>a struct or element of no bytes, or more elements than the object holds.</li>
 * </ul>
 * What passes reads only inside the object, and decodes to at most one value per byte of it.
 * The walk itself is a loop, not a recursion, so that it is the deep text that is refused.
 */
final class CheckedLayout {
    /** Levels of nested structs and struct array elements read; C compilers promise 63, real structs use a few. */
    static final int MAX_DEPTH = 64;

    /** The fields of one struct (the object's, or a struct array's element) and where they must fit. */
    private record Scope(String prefix, List<Field> fields, long size, int depth) {
    }

    private final String what;

    private CheckedLayout(Path region, NamedObject object) {
        this.what = region + ": \"" + object.name() + "\"";
    }

    /** The stored layout of {@code object}, a struct or struct array of {@code region}, once checked. */
    static StoredLayout of(Path region, NamedObject object) {
        CheckedLayout check = new CheckedLayout(region, object);
        StoredLayout layout;
        try {
            layout = object.storedLayout().orElseThrow();
        } catch (InvalidRegionException e) {
            throw new InvalidRegionException(check.what + ": " + e.getMessage(), e);
        }
        check.fitsObject(layout, object);
        check.fields(layout);
        return layout;
    }

    private void fitsObject(StoredLayout layout, NamedObject object) {
        long elements = object.kind().equals("struct") ? 1 : object.length();
        if (layout.size() == 0) {
            throw refused("its stored layout gives the struct no bytes");
        }
        if (elements > 0 && layout.size() > object.size() / elements) {
            throw refused(elements + " struct" + (elements == 1 ? "" : "s") + " of " + layout.size()
                    + " bytes (its stored layout) do not fit in the object's " + object.size() + " bytes");
        }
    }

    private void fields(StoredLayout layout) {
        Deque<Scope> scopes = new ArrayDeque<>();
        scopes.push(new Scope("", layout.fields(), layout.size(), 0));
        while (!scopes.isEmpty()) {
            Scope scope = scopes.pop();
            List<Field> byOffset = new ArrayList<>(scope.fields());
            byOffset.sort(Comparator.comparingLong(Field::offset));
            long end = 0;
            for (Field field : byOffset) {
                String name = scope.prefix() + field.name();
                int depth = scope.depth() + (int) field.name().chars().filter(c -> c == '.').count();
                if (depth > MAX_DEPTH) {
                    throw refused("field " + shown(name) + " is nested " + depth + " structs deep, more than the "
                            + MAX_DEPTH + " this command reads");
                }
                long bytes = bytes(field, name);
                if (bytes > scope.size() || field.offset() > scope.size() - bytes) {
                    throw refused("field " + shown(name) + " (" + size(field, bytes) + " at offset " + field.offset()
                            + ") does not fit in its " + (scope.prefix().isEmpty() ? "struct" : "element") + "'s "
                            + scope.size() + " bytes");
                }
                if (field.offset() < end) {
                    throw refused("field " + shown(name) + " at offset " + field.offset() + " overlaps the field before it");
                }
                end = field.offset() + bytes;
                if (field.kind() == StoredLayout.Kind.STRUCT_ARRAY) {
                    scopes.push(new Scope(name + "[].", field.elementFields(), field.elementSize(), depth + 1));
                }
            }
        }
    }

    /** The field's bytes; {@code Field.byteSize()} wraps for huge struct elements, which must be refused instead. */
    private long bytes(Field field, String name) {
        if (field.kind() == StoredLayout.Kind.STRUCT_ARRAY && field.elementSize() == 0) {
            throw refused("field " + shown(name) + " has elements of no bytes");
        }
        long bytes;
        try {
            bytes = field.kind() == StoredLayout.Kind.STRUCT_ARRAY ? Math.multiplyExact(field.elementSize(), (long) field.length())
                    : field.byteSize();
        } catch (ArithmeticException overflow) {
            bytes = Long.MAX_VALUE;
        }
        if (bytes == 0) {
            throw refused("field " + shown(name) + " has no bytes");
        }
        return bytes;
    }

    private static String size(Field field, long bytes) {
        return field.kind() == StoredLayout.Kind.STRUCT_ARRAY ? field.length() + " elements of " + field.elementSize() + " bytes"
                : bytes + " bytes";
    }

    /** A name for a one-line message: a crafted one may be 100,000 characters long. */
    private static String shown(String name) {
        return name.length() <= 80 ? name : name.substring(0, 40) + "..." + name.substring(name.length() - 30)
                + " (" + name.length() + " characters)";
    }

    private InvalidRegionException refused(String why) {
        return new InvalidRegionException(what + ": " + why);
    }
}
