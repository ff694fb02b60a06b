package dev.sharedstruct.processor.peers;

import java.nio.charset.StandardCharsets;

/**
 * Text from a region or a Java type (an object's name, a type name, the stored layout) written into generated
 * source so that it can neither end a comment or literal nor depend on the file's encoding. The
 * same escapes as python/sharedstruct/emit.py's, so that both emitters write the same text.
 */
public final class PeerLiterals {
    private PeerLiterals() {
    }

    /**
     * For a comment or docstring: printable ASCII as it is, except {@code \ " * ?} (which could end
     * the comment, the docstring or make a trigraph), and every other code point as {@code \\uXXXX}.
     */
    public static String shown(String text) {
        StringBuilder shown = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c >= 0x20 && c <= 0x7e && "\\\"*?".indexOf(c) < 0) {
                shown.append((char) c);
            } else {
                shown.append(c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
            }
        });
        return shown.toString();
    }

    /** A C string literal's contents: the UTF-8 bytes, escaped ({@code \?} against trigraphs, octal for the rest). */
    public static String c(String text) {
        StringBuilder literal = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '\\' || c == '"' || c == '?') {
                literal.append('\\').append((char) c);
            } else if (c >= 0x20 && c <= 0x7e) {
                literal.append((char) c);
            } else {
                literal.append(String.format("\\%03o", c));
            }
        }
        return literal.toString();
    }

    /** A Python str literal's contents: printable ASCII as it is, the rest as \xXX, \\uXXXX or \UXXXXXXXX. */
    public static String python(String text) {
        StringBuilder literal = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == '\\' || c == '"') {
                literal.append('\\').append((char) c);
            } else if (c >= 0x20 && c <= 0x7e) {
                literal.append((char) c);
            } else {
                literal.append(c <= 0xff ? String.format("\\x%02x", c) : c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
            }
        });
        return literal.toString();
    }
}
