"""Writes a C header or a Python module for a named struct from a live region's stored layout,
like the ones the processor generates from the Java interface (docs/PEERS.md):

    python3 -m sharedstruct.emit --lang c|python REGION NAME

Embedded structs are named <Struct>_<field>, since the stored layout does not name their types."""
import argparse
import re
import sys

from . import format as F
from . import layout as layouts
from .region import Region

_C_TYPES = {"boolean": "bool", "byte": "int8_t", "short": "int16_t", "char": "uint16_t", "int": "int32_t",
            "long": "int64_t", "float": "float", "double": "double"}


def _structs(struct_layout, ordered):
    """Every struct of the layout, embedded ones first."""
    for field in struct_layout.fields:
        if field.nested is not None:
            _structs(field.nested, ordered)
    if struct_layout not in ordered:
        ordered.append(struct_layout)
    return ordered


def _element(field):
    """(primitive name, length or None) of a scalar or primitive array field."""
    return field.prim, (None if field.kind == "scalar" else field.length)


def c_header(name, info, struct_layout):
    guard = "SHAREDSTRUCT_EMITTED_" + re.sub(r"\W", "_", name).upper() + "_H"
    macro = struct_layout.name.upper()
    out = ["/* Written by sharedstruct.emit from the layout of \"%s\" (%s): do not edit. */" % (name, info["type"]),
           "#ifndef " + guard, "#define " + guard, "", "#include <stdbool.h>", "#include <stddef.h>", "#include <stdint.h>", ""]
    for struct in _structs(struct_layout, []):
        out.append("struct %s {" % struct.name)
        for field in struct.fields:
            if field.kind == "struct":
                out.append("    struct %s %s;" % (field.nested.name, field.name))
            elif field.kind == "struct_array":
                out.append("    struct %s %s[%d];" % (field.nested.name, field.name, field.length))
            elif field.kind == "text":
                out.append("    char %s[%d];" % (field.name, field.length))
            else:
                base, length = _element(field)
                out.append("    %s %s%s;" % (_C_TYPES[base], field.name, "" if length is None else "[%d]" % length))
        out.append("};")
        for field in struct.fields:
            out.append('_Static_assert(offsetof(struct %s, %s) == %d, "%s.%s is at offset %d in the region");'
                       % (struct.name, field.name, field.offset, struct.name, field.name, field.offset))
        out.append('_Static_assert(sizeof(struct %s) == %d, "struct %s is %d bytes in the region");'
                   % (struct.name, struct.size, struct.name, struct.size))
        out.append("")
    out.append("#define %s_FINGERPRINT ((int64_t)UINT64_C(0x%016x))" % (macro, info["fingerprint"]))
    out.append('#define %s_LAYOUT "%s"' % (macro, info["layout"]))
    out.extend(["", "#endif", ""])
    return "\n".join(out)


def python_module(name, info, struct_layout):
    out = ['"""Written by sharedstruct.emit from the layout of "%s" (%s): do not edit."""' % (name, info["type"]), "import ctypes"]
    for struct in _structs(struct_layout, []):
        out.extend(["", "", "class %s(ctypes.Structure):" % struct.name, "    _fields_ = ["])
        for field in struct.fields:
            if field.kind == "struct":
                ctype = field.nested.name
            elif field.kind == "struct_array":
                ctype = "%s * %d" % (field.nested.name, field.length)
            elif field.kind == "text":
                ctype = "ctypes.c_char * %d" % field.length
            else:
                base, length = _element(field)
                ctype = "ctypes." + F.LAYOUT_TYPES[base] + ("" if length is None else " * %d" % length)
            out.append('        ("%s", %s),' % (field.name, ctype))
        out.append("    ]")
        if struct is struct_layout:
            out.append("    FINGERPRINT = 0x%016x" % info["fingerprint"])
            out.append('    LAYOUT = "%s"' % info["layout"])
    out.append("")
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m sharedstruct.emit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("c", "python"), required=True)
    parser.add_argument("region")
    parser.add_argument("name")
    args = parser.parse_args(argv)
    with Region.open(args.region) as region:
        info = region.info(args.name)
        if info["kind"] not in ("struct", "struct array"):
            sys.exit('"%s" is a %s, not a struct' % (args.name, info["kind"]))
        simple = info["type"].rsplit(".", 1)[-1].rsplit("$", 1)[-1]
        struct_layout = layouts.parse(info["layout"], simple)
        sys.stdout.write((c_header if args.lang == "c" else python_module)(args.name, info, struct_layout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
