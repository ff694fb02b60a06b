package dev.sharedstruct.processor.peers;

import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The languages a peer header or module is written in, and which names each cannot take as they
 * are. The processor's resources and {@code sharedstruct emit} both name by these rules, and
 * python/sharedstruct/layout.py applies the same ones (its {@code identifier},
 * {@code type_identifier} and {@code unique_identifier}), so that both emitters write the same text and the Python peer's
 * ctypes classes read a field by the name the generated module gives it. docs/PEERS.md, "Names",
 * states them.
 *
 * <p>A stored name becomes an identifier by {@link #identifier} (a field's) or
 * {@link #typeIdentifier} (a struct's): every character outside {@code [A-Za-z0-9_]} becomes
 * {@code _}, a leading digit gets a {@code _} before it, and a reserved name a {@code _} after it
 * ({@code from} becomes {@code from_} in Python, {@code errno} {@code errno_} in C). A struct's
 * name in Python that begins with {@code __} gets {@code _} after it until it ends with
 * {@code ___}. {@link #unique} makes names unique within a struct without ever making a reserved
 * one.
 */
public enum PeerLanguage {
    /**
     * C11 (and C23's new keywords), with the macros of the headers the generated header includes or
     * defines, of the C standard library in lower case, of c/sharedstruct.h and the POSIX headers its
     * implementation includes, and the names C reserves for the implementation.
     */
    c(Set.of("auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
            "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
            "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
            "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
            "_Static_assert", "_Thread_local", "asm", "typeof", "bool", "true", "false", "NULL", "offsetof",
            "__bool_true_false_are_defined",
            // C23's keywords (gcc 15's default is gnu23) and the C11 macros that spell them.
            "alignas", "alignof", "constexpr", "nullptr", "static_assert", "thread_local", "typeof_unqual", "noreturn",
            // The C standard library's lower-case object-like macros (errno.h, stdio.h, complex.h).
            "errno", "stdin", "stdout", "stderr", "complex", "imaginary", "I",
            // gcc's predefined macros in its default gnu modes, and sys/stat.h's (c/sharedstruct.h includes it).
            "linux", "unix", "st_atime", "st_mtime", "st_ctime"),
            // Struct names only: the tags of the C library's structs and unions that c/sharedstruct.h's implementation
            // declares (glibc on Linux); a struct of the same tag would be defined twice.
            Set.of("drand48_data", "f_owner_ex", "file_handle", "flock", "flock64", "futex_waitv", "iovec", "itimerspec",
                    "obstack", "random_data", "robust_list", "robust_list_head", "sched_param", "sigevent", "stat",
                    "stat64", "statx", "statx_timestamp", "timespec", "timeval", "timex", "tm", "pthread_attr_t"),
            // The implementation's names (_Pragma, _Float32, __linux__, __WORDSIZE), c/sharedstruct.h's macros and
            // the header's own guards (SS_HDR_LOCK, SHAREDSTRUCT_STRUCT_Point), stdint.h's limits (INT32_MAX,
            // SIZE_MAX, ...) and the macros the header defines (STATS_LAYOUT).
            Pattern.compile("(__|_[A-Z]|SS_|SHAREDSTRUCT_).*|[A-Z0-9_]*_(MIN|MAX|FINGERPRINT|LAYOUT)")),
    /** Python 3, with the attributes ctypes gives a Structure and the names the module itself uses. */
    python(Set.of("False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
            "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
            "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
            "FINGERPRINT", "LAYOUT", "ctypes", "_struct", "_size", "_offsets", "from_address", "from_buffer",
            "from_buffer_copy", "from_param", "in_dll", "_fields_", "_pack_", "_anonymous_", "_align_",
            "_swappedbytes_", "_b_base_", "_b_needsfree_", "_objects", "_type_", "_length_", "_layout_"),
            // The builtins the module's import check calls: a class of that name would replace them.
            Set.of("any", "getattr", "ImportError"),
            // A name beginning and ending with __ (__init__, __class__, __module__) would replace the class's own attribute.
            Pattern.compile("(?=__).*(?<=__)")),
    ;

    private final Set<String> reserved;
    private final Set<String> reservedForTypes;
    private final Pattern reservedPattern;

    PeerLanguage(Set<String> reserved, Set<String> reservedForTypes, Pattern reservedPattern) {
        this.reserved = reserved;
        this.reservedForTypes = reservedForTypes;
        this.reservedPattern = reservedPattern;
    }

    /** An identifier of this language for a field's name as the region stores it. */
    public String identifier(String stored) {
        String word = word(stored);
        return isReserved(word) ? word + "_" : word;
    }

    /**
     * An identifier of this language for a struct's name: as {@link #identifier}, and in C also
     * the C library's tags c/sharedstruct.h declares ({@code stat}, {@code timespec}), in Python
     * the module's builtins, and a name beginning with {@code __} gets {@code _} after it until
     * it ends with {@code ___} (another class's body would mangle it, and a dunder would replace
     * the module's own).
     */
    public String typeIdentifier(String stored) {
        String word = word(stored);
        if (this == python && word.startsWith("__")) {
            while (!word.endsWith("___")) {
                word += "_";
            }
            return word;
        }
        return isReserved(word) || reservedForTypes.contains(word) ? word + "_" : word;
    }

    /**
     * {@code naming} of {@code stored}, else of {@code stored} with more and more {@code _} after
     * it, the first that is not in {@code taken}; then taken. Each candidate is an identifier the
     * rules give, so that none is reserved ({@code __init_} and {@code __init$} are {@code __init_}
     * and {@code __init___} in Python, never {@code __init__}).
     */
    static String unique(String stored, UnaryOperator<String> naming, Set<String> taken) {
        for (String candidate = stored; ; candidate += "_") {
            String identifier = naming.apply(candidate);
            if (taken.add(identifier)) {
                return identifier;
            }
        }
    }

    private boolean isReserved(String identifier) {
        return reserved.contains(identifier) || reservedPattern.matcher(identifier).matches();
    }

    /** {@code stored} as a word: {@link #asciiWord}, with a {@code _} before a leading digit. */
    private static String word(String stored) {
        String ascii = asciiWord(stored);
        return ascii.isEmpty() || Character.isDigit(ascii.charAt(0)) ? "_" + ascii : ascii;
    }

    /** {@code text} with every code point outside {@code [A-Za-z0-9_]} made {@code _}. */
    public static String asciiWord(String text) {
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(c -> word.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? (char) c : '_'));
        return word.toString();
    }
}
