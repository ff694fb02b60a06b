package dev.sharedstruct.processor.peers;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The languages a peer header or module is written in, and which names each cannot take as they
 * are. The processor's resources and {@code sharedstruct emit} both name by these rules. A stored name
 * becomes an identifier by {@link #identifier}: every character outside {@code [A-Za-z0-9_]}
 * becomes {@code _}, a leading digit gets a {@code _} before it, and a reserved word a {@code _}
 * after it ({@code from} becomes {@code from_} in Python). python/sharedstruct/emit.py applies the
 * same rules, so that both emitters write the same text.
 */
public enum PeerLanguage {
    /** C11, with the macros of stdbool.h, stddef.h and stdint.h that the header includes. */
    c(Set.of("auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
            "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
            "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
            "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
            "_Static_assert", "_Thread_local", "asm", "typeof", "bool", "true", "false", "NULL", "offsetof",
            "__bool_true_false_are_defined"),
            // stdint.h's limits (INT32_MAX, SIZE_MAX, ...) and the macros the header itself defines.
            Pattern.compile("[A-Z0-9_]*_(MIN|MAX|FINGERPRINT|LAYOUT)")),
    /** Python 3, with the attributes ctypes gives a Structure and the names the module itself uses. */
    python(Set.of("False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
            "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
            "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
            "FINGERPRINT", "LAYOUT", "ctypes", "_struct", "_size", "_offsets", "from_address", "from_buffer",
            "from_buffer_copy", "from_param", "in_dll", "_fields_", "_pack_", "_anonymous_", "_align_",
            "_swappedbytes_", "_b_base_", "_b_needsfree_", "_objects", "_type_", "_length_", "_layout_"),
            null);

    private final Set<String> reserved;
    private final Pattern reservedPattern;

    PeerLanguage(Set<String> reserved, Pattern reservedPattern) {
        this.reserved = reserved;
        this.reservedPattern = reservedPattern;
    }

    /** An identifier of this language for a name the region stores (a field's or a type's). */
    public String identifier(String stored) {
        String ascii = asciiWord(stored);
        if (ascii.isEmpty() || Character.isDigit(ascii.charAt(0))) {
            ascii = "_" + ascii;
        }
        return isReserved(ascii) ? ascii + "_" : ascii;
    }

    private boolean isReserved(String identifier) {
        return reserved.contains(identifier) || (reservedPattern != null && reservedPattern.matcher(identifier).matches());
    }

    /** {@code text} with every code point outside {@code [A-Za-z0-9_]} made {@code _}. */
    public static String asciiWord(String text) {
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(c -> word.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? (char) c : '_'));
        return word.toString();
    }
}
