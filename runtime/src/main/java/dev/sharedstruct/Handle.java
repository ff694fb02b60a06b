package dev.sharedstruct;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import dev.sharedstruct.internal.region.Allocator;

/**
 * A string that names one object in one region, so that any process can attach the same memory
 * with the same lock: the counterpart of Python's {@code reduce_ctype}, but usable at any time,
 * by any process, not only by children at spawn.
 * <pre>
 * sharedstruct:1?region=%2Fdev%2Fshm%2Fstats.region&amp;id=5f0c...&amp;block=4112&amp;object=4144
 *     &amp;lock=4112&amp;kind=struct&amp;type=com.example.Point&amp;fingerprint=8ed47cbefcec65d9&amp;length=1&amp;generation=7
 * </pre>
 * Made by {@link Structs#handle(Object)}; used by {@link SharedMemory#attach(String, Class)}.
 *
 * @param region the region file
 * @param regionId the region's random id, so that a file later reused for another region is noticed
 * @param placement where the object sits in its region
 * @param identity what the object is: kind, type, fingerprint and length
 */
public record Handle(Path region, long regionId, Placement placement, Identity identity) {
    private static final String PREFIX = "sharedstruct:1?";

    /** Refuses a null part, naming it: a handle with one would fail only later, far from its cause. */
    public Handle {
        Objects.requireNonNull(region, "a handle's region is null");
        Objects.requireNonNull(placement, "a handle's placement is null");
        Objects.requireNonNull(identity, "a handle's identity is null");
        Objects.requireNonNull(identity.typeName(), "a handle's type name is null");
    }

    private static final java.util.Set<String> KEYS =
            java.util.Set.of("region", "id", "block", "object", "lock", "generation", "kind", "type", "fingerprint", "length");

    /**
     * The handle as text.
     *
     * @return the handle as text, for {@link #parse(String)}
     */
    public String format() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("region", region.toString());
        fields.put("id", HexFormat.of().toHexDigits(regionId));
        fields.put("block", Long.toString(placement.block()));
        fields.put("object", Long.toString(placement.object()));
        fields.put("lock", Long.toString(placement.lock()));
        fields.put("generation", Long.toString(placement.generation()));
        fields.put("kind", Kinds.name(identity.kind()));
        fields.put("type", identity.typeName());
        fields.put("fingerprint", HexFormat.of().toHexDigits(identity.fingerprint()));
        fields.put("length", Integer.toString(identity.length()));
        StringBuilder text = new StringBuilder(PREFIX);
        fields.forEach((key, value) -> text.append(text.length() == PREFIX.length() ? "" : "&").append(key).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return text.toString();
    }

    /**
     * Reads a handle made by {@link #format()}.
     *
     * @param text a handle as {@link #format()} wrote it
     * @return the handle
     * @throws IllegalArgumentException naming what is wrong with a malformed handle
     */
    public static Handle parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a sharedstruct handle (it must start with \"" + PREFIX + "\"): "
                    + abbreviate(text));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : text.substring(PREFIX.length()).split("&", -1)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("malformed handle, \"" + abbreviate(pair) + "\" is not key=value: " + abbreviate(text));
            }
            String key = pair.substring(0, equals);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("malformed handle, unknown field \"" + abbreviate(key) + "\": " + abbreviate(text));
            }
            if (fields.put(key, decoded(key, pair.substring(equals + 1), text)) != null) {
                throw new IllegalArgumentException("malformed handle, " + key + " appears twice: " + abbreviate(text));
            }
        }
        try {
            long block = number(fields, "block", 1, Long.MAX_VALUE);
            Placement placement = new Placement(block, number(fields, "object", 1, Long.MAX_VALUE),
                    number(fields, "lock", 0, Long.MAX_VALUE), number(fields, "generation", 1, Long.MAX_VALUE));
            Identity identity = new Identity(Kinds.of(field(fields, "kind")), field(fields, "type"),
                    HexFormat.fromHexDigitsToLong(field(fields, "fingerprint")), (int) number(fields, "length", 1, Integer.MAX_VALUE));
            return new Handle(Path.of(field(fields, "region")), HexFormat.fromHexDigitsToLong(field(fields, "id")), placement,
                    identity);
        } catch (IllegalArgumentException e) {
            // NumberFormatException, a bad hex digit, a bad path: all mean a malformed handle.
            throw e.getMessage() != null && e.getMessage().startsWith("malformed handle") ? e
                    : new IllegalArgumentException("malformed handle (" + e.getMessage() + "): " + abbreviate(text), e);
        }
    }

    /** A field's value, %-decoded; a bad escape ("%zz", a lone "%") is a malformed handle, named as such. */
    private static String decoded(String key, String value, String text) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed handle, the " + key + " \"" + abbreviate(value)
                    + "\" has a bad %-escape: " + abbreviate(text), e);
        }
    }

    private static String field(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("malformed handle, it has no " + key + ": " + abbreviate(fields.toString()));
        }
        return value;
    }

    /** A decimal number within {@code [min, max]}; anything else (overflow, sign, junk) is refused by name. */
    private static long number(Map<String, String> fields, String key, long min, long max) {
        String text = field(fields, key);
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed handle, " + key + " \"" + abbreviate(text) + "\" is not a number", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("malformed handle, " + key + " is " + value + ", outside " + min + " to " + max);
        }
        return value;
    }

    private static String abbreviate(String text) {
        return dev.sharedstruct.internal.StructSupport.abbreviate(text, 200);
    }

    @Override
    public String toString() {
        return format();
    }

    /** The names handles use for {@link Allocator.Kind}s. */
    static final class Kinds {
        private Kinds() {
        }

        static String name(short kind) {
            return switch (kind) {
                case Allocator.Kind.STRUCT -> "struct";
                case Allocator.Kind.STRUCT_ARRAY -> "struct-array";
                case Allocator.Kind.PRIMITIVE_ARRAY -> "array";
                case Allocator.Kind.PRIMITIVE_VALUE -> "value";
                default -> throw new IllegalArgumentException("no handle for objects of kind " + kind);
            };
        }

        static short of(String name) {
            return switch (name) {
                case "struct" -> Allocator.Kind.STRUCT;
                case "struct-array" -> Allocator.Kind.STRUCT_ARRAY;
                case "array" -> Allocator.Kind.PRIMITIVE_ARRAY;
                case "value" -> Allocator.Kind.PRIMITIVE_VALUE;
                default -> throw new IllegalArgumentException("malformed handle, unknown kind \"" + name + "\"");
            };
        }
    }
}
