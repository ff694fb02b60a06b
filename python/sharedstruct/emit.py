"""Writes a C header or a Python module for a named struct from a live region's stored layout,
like the ones the processor generates from the Java interface (docs/PEERS.md):

    python3 -m sharedstruct.emit --lang c|python REGION NAME

Embedded structs are named <Struct>_<field>, since the stored layout does not name their types.
The processor's resources and the cli's `sharedstruct emit` (both written by the processor's
CHeaderWriter.java and PythonModuleWriter.java) are the same text by the same rules, but for the
first line, which says where the text came from."""
import argparse
import sys

from . import format as F
from . import layout as layouts
# The names each language cannot take as they are and the rules that make identifiers of them are
# layout.py's: the classes it makes from a stored layout name their fields as the emitted modules do.
from .layout import _ascii_word, identifier, type_identifier, unique_identifier
from .region import InvalidRegionError, Region

_C_TYPES = {"boolean": "bool", "byte": "int8_t", "short": "int16_t", "char": "uint16_t", "int": "int32_t",
            "long": "int64_t", "float": "float", "double": "double"}
_BYTES = {"boolean": 1, "byte": 1, "short": 2, "char": 2, "int": 4, "long": 8, "float": 4, "double": 8}

class _Struct:
    """A struct as emitted: its identifier, [(identifier, field)] and its size in C."""

    def __init__(self, name, members, size):
        self.name, self.members, self.size = name, members, size

    def alignment(self):
        result = 1
        for _, field, nested in self.members:
            if nested is not None:
                result = max(result, nested.alignment())
            elif field.kind != "text":
                result = max(result, _BYTES[field.prim])
        return result


def _named(layout, name, lang, struct_names, size=None):
    """The struct of a parsed layout, named parent first, then each field's struct in field order.
    size is the region's for the top struct and a struct array's element; an embedded struct's is
    the end of its fields rounded up to its alignment, as C makes it."""
    members, taken = [], set()
    for field in layout.fields:
        word = unique_identifier(field.name, taken, lambda stored: identifier(stored, lang))
        nested = None
        if field.kind in ("struct", "struct_array"):
            if field.kind == "struct_array" and not field.nested.fields:
                raise ValueError("the stored layout does not list the fields of %s's elements (the region was written by an"
                                 " older version), so they cannot be declared" % field.name)
            nested_name = unique_identifier(name + "_" + word, struct_names, lambda stored: type_identifier(stored, lang))
            nested = _named(field.nested, nested_name, lang, struct_names,
                            field.nested.size if field.kind == "struct_array" else None)
        members.append((word, field, nested))
    if not members:
        raise ValueError("the stored layout of %s has no fields" % name)
    struct = _Struct(name, members, size)
    if size is None:
        alignment = struct.alignment()
        struct.size = (layout.size + alignment - 1) // alignment * alignment
    return struct


def _structs(struct, ordered):
    """Every struct, embedded ones first (each before the struct using it), this one last."""
    for _, _, nested in struct.members:
        if nested is not None:
            _structs(nested, ordered)
    ordered.append(struct)
    return ordered


def shown(text):
    """For a comment or docstring: printable ASCII except \\ " * ? as it is, the rest \\uXXXX."""
    return "".join(c if 0x20 <= ord(c) <= 0x7e and c not in '\\"*?' else
                   ("\\u%04x" % ord(c) if ord(c) <= 0xffff else "\\U%08x" % ord(c)) for c in text)


def c_literal(text):
    """A C string literal's contents: UTF-8 bytes, \\? against trigraphs, octal for the rest."""
    out = []
    for b in text.encode("utf-8"):
        if chr(b) in '\\"?':
            out.append("\\" + chr(b))
        elif 0x20 <= b <= 0x7e:
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    return "".join(out)


def python_literal(text):
    out = []
    for c in text:
        n = ord(c)
        if c in '\\"':
            out.append("\\" + c)
        elif 0x20 <= n <= 0x7e:
            out.append(c)
        else:
            out.append("\\x%02x" % n if n <= 0xff else "\\u%04x" % n if n <= 0xffff else "\\U%08x" % n)
    return "".join(out)


def struct_for(info, lang):
    """The struct to emit for what region.info() says of a struct or struct array."""
    simple = info["type"].rsplit(".", 1)[-1].rsplit("$", 1)[-1]
    top_name = type_identifier(simple or "Struct", lang)
    return _named(layouts.parse(info["layout"], top_name), top_name, lang, {top_name}, layouts.entries(info["layout"])[1])


def c_header(name, info, struct):
    guard = "SHAREDSTRUCT_" + _ascii_word(info["type"]).upper() + "_H"
    macro = struct.name.upper()
    out = ["/* Written by sharedstruct emit from the layout of \"%s\" (%s): do not edit. */" % (shown(name), shown(info["type"])),
           "#ifndef " + guard, "#define " + guard, "", "#include <stdbool.h>", "#include <stddef.h>", "#include <stdint.h>", ""]
    for s in _structs(struct, []):
        # Each definition guarded by its name, so that headers declaring a struct of the same name
        # (one type's, from the processor and from here, say) include together; the asserts outside, so that a same-named struct laid out otherwise fails the build.
        out.extend(["#ifndef SHAREDSTRUCT_STRUCT_" + s.name, "#define SHAREDSTRUCT_STRUCT_" + s.name, "struct %s {" % s.name])
        for word, field, nested in s.members:
            if field.kind == "struct":
                out.append("    struct %s %s;" % (nested.name, word))
            elif field.kind == "struct_array":
                out.append("    struct %s %s[%d];" % (nested.name, word, field.length))
            elif field.kind == "text":
                out.append("    char %s[%d];" % (word, field.length))
            else:
                out.append("    %s %s%s;" % (_C_TYPES[field.prim], word, "" if field.kind == "scalar" else "[%d]" % field.length))
        out.extend(["};", "#endif"])
        for word, field, _ in s.members:
            out.append('_Static_assert(offsetof(struct %s, %s) == %d, "%s.%s is at offset %d in the stored layout");'
                       % (s.name, word, field.offset, s.name, word, field.offset))
        out.append('_Static_assert(sizeof(struct %s) == %d, "struct %s is %d bytes in the stored layout");'
                   % (s.name, s.size, s.name, s.size))
        out.append("")
    out.append("/* The layout fingerprint and stored layout text, for ss_find of c/sharedstruct.h. */")
    out.append("#define %s_FINGERPRINT ((int64_t)UINT64_C(0x%016x))" % (macro, info["fingerprint"]))
    out.append('#define %s_LAYOUT "%s"' % (macro, c_literal(info["layout"])))
    out.extend(["", "#endif", ""])
    return "\n".join(out)


def python_module(name, info, struct):
    out = ['"""Written by sharedstruct emit from the layout of "%s" (%s): do not edit."""' % (shown(name), shown(info["type"])),
           "import ctypes"]
    ordered = _structs(struct, [])
    for s in ordered:
        out.extend(["", "", "class %s(ctypes.Structure):" % s.name, "    _fields_ = ["])
        for word, field, nested in s.members:
            if field.kind == "struct":
                ctype = nested.name
            elif field.kind == "struct_array":
                ctype = "%s * %d" % (nested.name, field.length)
            elif field.kind == "text":
                ctype = "ctypes.c_char * %d" % field.length
            else:
                ctype = "ctypes." + F.LAYOUT_TYPES[field.prim] + ("" if field.kind == "scalar" else " * %d" % field.length)
            out.append('        ("%s", %s),' % (word, ctype))
        out.append("    ]")
        if s is struct:
            out.append("    FINGERPRINT = 0x%016x" % info["fingerprint"])
            out.append('    LAYOUT = "%s"' % python_literal(info["layout"]))
    out.extend(["", "", "# The stored layout's sizes and offsets: a class that ctypes lays out otherwise is refused at import.",
                "for _struct, _size, _offsets in ("])
    for s in ordered:
        offsets = ", ".join('("%s", %d)' % (word, field.offset) for word, field, _ in s.members)
        out.append("        (%s, %d, [%s])," % (s.name, s.size, offsets))
    out.extend(["):",
                "    if ctypes.sizeof(_struct) != _size or any(getattr(_struct, _f).offset != _o for _f, _o in _offsets):",
                '        raise ImportError("%s is not laid out as in the stored layout" % _struct.__name__)',
                "del _struct, _size, _offsets", ""])
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m sharedstruct.emit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("c", "python"), required=True)
    parser.add_argument("region")
    parser.add_argument("name")
    args = parser.parse_args(argv)
    try:
        with Region.open(args.region) as region:
            info = region.info(args.name)
    except KeyError as e:
        sys.exit("python3 -m sharedstruct.emit: %s" % e.args[0])
    except (InvalidRegionError, OSError, ValueError) as e:
        sys.exit("python3 -m sharedstruct.emit: %s" % e)
    if info["kind"] not in ("struct", "struct array"):
        article = "an" if info["kind"][0] in "aeiou" else "a"
        sys.exit('"%s" is %s %s, not a struct' % (args.name, article, info["kind"]))
    try:
        struct = struct_for(info, args.lang)
    except ValueError as e:
        sys.exit("%s: %s" % (args.name, e))
    sys.stdout.write((c_header if args.lang == "c" else python_module)(args.name, info, struct))
    return 0


if __name__ == "__main__":
    sys.exit(main())
