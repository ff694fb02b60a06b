package dev.sharedstruct.cli;

import dev.sharedstruct.cli.EmittedStruct.Member;
import dev.sharedstruct.cli.EmittedStruct.Nested;
import dev.sharedstruct.cli.EmittedStruct.Primitive;
import dev.sharedstruct.cli.EmittedStruct.StructArray;
import dev.sharedstruct.cli.EmittedStruct.Text;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Python module for a named struct, written from the layout a region stores: a
 * {@code ctypes.Structure} per struct (embedded ones first), the top one carrying
 * {@code FINGERPRINT} and {@code LAYOUT} so that {@code region.find(name, Cls)} of
 * python/sharedstruct checks it, and a check at import that ctypes laid every class out at the
 * region's offsets. The same text as {@code python3 -m sharedstruct.emit --lang python}.
 */
final class PythonModuleEmitter {
    private static final Map<String, String> CTYPES = Map.of("boolean", "c_bool", "byte", "c_int8", "short", "c_int16",
            "char", "c_uint16", "int", "c_int32", "long", "c_int64", "float", "c_float", "double", "c_double");

    private PythonModuleEmitter() {
    }

    static String write(String objectName, String type, long fingerprint, String layoutText, EmittedStruct top) {
        StringBuilder py = new StringBuilder()
                .append("\"\"\"Written by sharedstruct emit from the layout of \"").append(EmitLiterals.shown(objectName))
                .append("\" (").append(EmitLiterals.shown(type)).append("): do not edit.\"\"\"\n")
                .append("import ctypes\n");
        for (EmittedStruct struct : top.withEmbedded()) {
            py.append("\n\nclass ").append(struct.name()).append("(ctypes.Structure):\n    _fields_ = [\n");
            for (Member member : struct.members()) {
                py.append("        (\"").append(member.identifier()).append("\", ").append(ctype(member)).append("),\n");
            }
            py.append("    ]\n");
            if (struct == top) {
                py.append(String.format("    FINGERPRINT = 0x%016x\n", fingerprint))
                        .append("    LAYOUT = \"").append(EmitLiterals.python(layoutText)).append("\"\n");
            }
        }
        py.append("\n\n# The region's sizes and offsets: a class that ctypes lays out otherwise is refused at import.\n")
                .append("for _struct, _size, _offsets in (\n");
        for (EmittedStruct struct : top.withEmbedded()) {
            String offsets = struct.members().stream().map(m -> "(\"" + m.identifier() + "\", " + m.offset() + ")")
                    .collect(Collectors.joining(", ", "[", "]"));
            py.append("        (").append(struct.name()).append(", ").append(struct.size()).append(", ").append(offsets).append("),\n");
        }
        py.append("):\n")
                .append("    if ctypes.sizeof(_struct) != _size or any(getattr(_struct, _f).offset != _o for _f, _o in _offsets):\n")
                .append("        raise ImportError(\"%s is not laid out as in the region\" % _struct.__name__)\n");
        return py.toString();
    }

    private static String ctype(Member member) {
        return switch (member.shape()) {
            case Primitive p -> "ctypes." + CTYPES.get(p.type()) + (p.length() == 0 ? "" : " * " + p.length());
            case Text text -> "ctypes.c_char * " + text.bytes();
            case Nested nested -> nested.struct().name();
            case StructArray array -> array.element().name() + " * " + array.length();
        };
    }
}
