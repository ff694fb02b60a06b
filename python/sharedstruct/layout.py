"""The layout text a region stores next to each named struct (docs/FORMAT.md "Stored layout
text"), read into ctypes classes, and compared field by field."""
import ctypes
import re

from . import format as F

_ENTRY = re.compile(r"^([^:]+):([A-Za-z]+)(\d*)(?:\[(\d+)\])?@(\d+)$")


class Field:
    """One field of a struct: name, kind ("scalar", "array", "text", "struct", "struct_array"),
    ctypes type, offset, and for structs the nested Layout."""

    def __init__(self, name, kind, ctype, offset, nested=None, length=None, prim=None):
        self.name, self.kind, self.ctype, self.offset, self.nested, self.length = name, kind, ctype, offset, nested, length
        self.prim = prim   # the stored text's primitive name ("double", "char"), for scalars, arrays and text


class Layout:
    """A struct read from layout text: its fields in order and a ctypes class at the exact offsets."""

    def __init__(self, name, fields, size):
        self.name, self.fields, self.size = name, fields, size
        members, at = [], 0
        for i, field in enumerate(sorted(fields, key=lambda f: f.offset)):
            if field.offset < at:
                raise ValueError("layout of %s: field %s at offset %d overlaps the one before" % (name, field.name, field.offset))
            if field.offset > at:
                members.append(("_pad%d" % i, ctypes.c_uint8 * (field.offset - at)))
            members.append((field.name, field.ctype))
            at = field.offset + ctypes.sizeof(field.ctype)
        if size < at:
            raise ValueError("layout of %s: size %d is less than its fields' end %d" % (name, size, at))
        if size > at:
            members.append(("_pad_end", ctypes.c_uint8 * (size - at)))
        self.ctype = type(name, (ctypes.Structure,), {"_pack_": 1, "_fields_": members})


def entries(text):
    """[(path, type, offset)] and the size, from "x:double@0;origin.y:double@24;size=32"."""
    found, size = [], None
    for part in text.split(";"):
        if not part:
            continue
        if part.startswith("size="):
            size = int(part[5:])
            continue
        name, shape = part.split(":", 1)
        shape, offset = shape.rsplit("@", 1)
        found.append((name.split("."), shape, int(offset)))
    if size is None:
        raise ValueError("layout text without a size: " + text[:200])
    return found, size


def parse(text, name="Struct"):
    found, size = entries(text)
    return _build(name, found, size)


def _shape(shape):
    """(kind, ctypes type, length) of "double", "int[4]", "char[16]"; structs are handled by the caller."""
    match = re.fullmatch(r"([a-z]+)(?:\[(\d+)\])?", shape)
    if match is None or (match.group(1) not in F.LAYOUT_TYPES and match.group(1) != "char"):
        raise ValueError("unknown field type " + shape)
    base, length = match.group(1), match.group(2)
    if base == "char" and length is not None:
        return "text", ctypes.c_char * int(length), int(length), base
    ctype = getattr(ctypes, F.LAYOUT_TYPES[base])
    if length is None:
        return "scalar", ctype, None, base
    return "array", ctype * int(length), int(length), base


def _build(name, found, size):
    fields, order = {}, []
    groups = {}
    for path, shape, offset in found:
        head = path[0]
        if len(path) == 1:
            struct_array = re.fullmatch(r"struct(\d+)\[(\d+)\]", shape)
            if struct_array:
                fields[head] = ("struct_array", int(struct_array.group(1)), int(struct_array.group(2)), offset)
            else:
                kind, ctype, length, prim = _shape(shape)
                fields[head] = Field(head, kind, ctype, offset, length=length, prim=prim)
            order.append(head)
        else:
            if head not in groups:
                groups[head] = []
                if not head.endswith("[]"):
                    order.append(head)
            groups[head].append((path[1:], shape, offset))
    result = []
    for head in order:
        if head in groups and not head.endswith("[]"):
            members = groups[head]
            # Offsets inside a struct array's element are relative to the element already.
            base = min(o for p, _, o in members if not _in_element(p))
            relative = [(p, s, o if _in_element(p) else o - base) for p, s, o in members]
            end = max(o + _end(s, p) for p, s, o in relative if not _in_element(p))
            nested = _build(name + "_" + head, relative, end)
            result.append(Field(head, "struct", nested.ctype, base, nested=nested))
            continue
        spec = fields[head]
        if isinstance(spec, Field):
            result.append(spec)
            continue
        _, element_size, length, offset = spec
        element = _build(name + "_" + head, groups.get(head + "[]", []), element_size)
        result.append(Field(head, "struct_array", element.ctype * length, offset, nested=element, length=length))
    return Layout(name, result, size)


def _in_element(path):
    return any(component.endswith("[]") for component in path[:-1])


def _end(shape, path):
    struct_array = re.fullmatch(r"struct(\d+)\[(\d+)\]", shape)
    if struct_array:
        return int(struct_array.group(1)) * int(struct_array.group(2))
    return ctypes.sizeof(_shape(shape)[1])


def differences(stored, yours):
    """What differs between the layout in the region and yours, field by field."""
    theirs, ours = _fields(stored), _fields(yours)
    found = []
    for field, shape in theirs.items():
        mine = ours.get(field)
        if mine is None:
            found.append("field %s (%s) is only in the region" % (field, _readable(shape)))
        elif mine != shape:
            found.append("field %s is %s in the region but %s in yours" % (field, _readable(shape), _readable(mine)))
    for field, shape in ours.items():
        if field not in theirs:
            found.append("field %s (%s) is only in yours" % (field, _readable(shape)))
    if not found:
        return ("every field has the same type and offset, but the fingerprints differ:"
                " an enum's constants or a field's kind (String, enum, boolean) changed")
    return "; ".join(found)


def _fields(text):
    result = {}
    for part in text.split(";"):
        if ":" in part:
            name, shape = part.split(":", 1)
            result[name] = shape
        elif "=" in part:
            result["(size)"] = part.split("=", 1)[1]
    return result


def _readable(shape):
    if "@" not in shape:
        return shape + " bytes"
    kind, offset = shape.rsplit("@", 1)
    return "%s at offset %s" % (kind, offset)
