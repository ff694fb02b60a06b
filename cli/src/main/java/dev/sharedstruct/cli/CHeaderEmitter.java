package dev.sharedstruct.cli;

import dev.sharedstruct.cli.EmittedStruct.Member;
import dev.sharedstruct.cli.EmittedStruct.Nested;
import dev.sharedstruct.cli.EmittedStruct.Primitive;
import dev.sharedstruct.cli.EmittedStruct.StructArray;
import dev.sharedstruct.cli.EmittedStruct.Text;
import java.util.Locale;
import java.util.Map;

/**
 * A C11 header for a named struct, written from the layout a region stores: the struct (embedded
 * structs first), a {@code _Static_assert} on {@code sizeof} and on every {@code offsetof} so that
 * a compiler that would lay it out otherwise refuses to build, and {@code <NAME>_FINGERPRINT} and
 * {@code <NAME>_LAYOUT} for c/sharedstruct.h's {@code ss_find}. The same text as
 * {@code python3 -m sharedstruct.emit --lang c}.
 */
final class CHeaderEmitter {
    private static final Map<String, String> C_TYPES = Map.of("boolean", "bool", "byte", "int8_t", "short", "int16_t",
            "char", "uint16_t", "int", "int32_t", "long", "int64_t", "float", "float", "double", "double");

    private CHeaderEmitter() {
    }

    static String write(String objectName, String type, long fingerprint, String layoutText, EmittedStruct top) {
        String guard = "SHAREDSTRUCT_EMITTED_" + EmitLanguage.asciiWord(objectName).toUpperCase(Locale.ROOT) + "_H";
        String macro = top.name().toUpperCase(Locale.ROOT);
        StringBuilder c = new StringBuilder()
                .append("/* Written by sharedstruct emit from the layout of \"").append(EmitLiterals.shown(objectName))
                .append("\" (").append(EmitLiterals.shown(type)).append("): do not edit. */\n")
                .append("#ifndef ").append(guard).append('\n')
                .append("#define ").append(guard).append("\n\n")
                .append("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n");
        for (EmittedStruct struct : top.withEmbedded()) {
            c.append("struct ").append(struct.name()).append(" {\n");
            for (Member member : struct.members()) {
                c.append("    ").append(declaration(member)).append(";\n");
            }
            c.append("};\n");
            for (Member member : struct.members()) {
                c.append(String.format("_Static_assert(offsetof(struct %s, %s) == %d, \"%s.%s is at offset %d in the region\");\n",
                        struct.name(), member.identifier(), member.offset(), struct.name(), member.identifier(), member.offset()));
            }
            c.append(String.format("_Static_assert(sizeof(struct %s) == %d, \"struct %s is %d bytes in the region\");\n\n",
                    struct.name(), struct.size(), struct.name(), struct.size()));
        }
        c.append(String.format("#define %s_FINGERPRINT ((int64_t)UINT64_C(0x%016x))\n", macro, fingerprint))
                .append("#define ").append(macro).append("_LAYOUT \"").append(EmitLiterals.c(layoutText)).append("\"\n")
                .append("\n#endif\n");
        return c.toString();
    }

    private static String declaration(Member member) {
        String name = member.identifier();
        return switch (member.shape()) {
            case Primitive p -> C_TYPES.get(p.type()) + " " + name + (p.length() == 0 ? "" : "[" + p.length() + "]");
            case Text text -> "char " + name + "[" + text.bytes() + "]";
            case Nested nested -> "struct " + nested.struct().name() + " " + name;
            case StructArray array -> "struct " + array.element().name() + " " + name + "[" + array.length() + "]";
        };
    }
}
