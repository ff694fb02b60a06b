"""The layout text a region stores next to each named struct (docs/FORMAT.md "Stored layout
text"), read into ctypes classes, and compared field by field."""
import ctypes
import re

from . import format as F

_ENTRY = re.compile(r"^([^:]+):([A-Za-z]+)(\d*)(?:\[(\d+)\])?@(\d+)$")

# A layout text comes from the region file, which any process that maps it can write: every
# number and every nesting level is bounded before a ctypes type is made or a recursion starts.
#: No struct is larger (the annotation processor's limit, LayoutPlanner.MAX_STRUCT_SIZE): an
#: offset, size, length or element size above it is corrupt.
MAX_STRUCT_SIZE = 1 << 30
#: Nesting levels of a path (``a.b.c`` is 3, ``corners[].x`` 2): far more than any struct has,
#: and few enough that building the views recurses a bounded number of frames.
MAX_DEPTH = 64
_NUMBER = re.compile(r"[0-9]+")


# Names each language cannot take as they are: the same rules as the processor's PeerLanguage.java,
# for emit.py's header and module and for the ctypes classes below (docs/PEERS.md, "Names").
_RESERVED = {
    # C11 and C23's keywords, the macros of the headers the C header includes or defines, the C
    # standard library's lower-case object-like macros, gcc's predefined ones in its gnu modes and
    # those of sys/stat.h (c/sharedstruct.h's implementation includes it).
    "c": frozenset("""auto break case char const continue default do double else enum extern float for goto if inline
        int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile
        while _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local asm
        typeof bool true false NULL offsetof __bool_true_false_are_defined
        alignas alignof constexpr nullptr static_assert thread_local typeof_unqual noreturn
        errno stdin stdout stderr complex imaginary I
        linux unix st_atime st_mtime st_ctime""".split()),
    # Python's keywords, the attributes ctypes gives a Structure and the names the module itself uses.
    "python": frozenset("""False None True and as assert async await break class continue def del elif else except
        finally for from global if import in is lambda nonlocal not or pass raise return try while with yield
        FINGERPRINT LAYOUT ctypes _struct _size _offsets from_address from_buffer from_buffer_copy from_param in_dll
        _fields_ _pack_ _anonymous_ _align_ _swappedbytes_ _b_base_ _b_needsfree_ _objects _type_ _length_
        _layout_""".split()),
}
# Struct names only: in C the tags of the C library's structs and unions that c/sharedstruct.h's
# implementation declares (glibc on Linux), in Python the builtins the module's import check calls.
_RESERVED_FOR_TYPES = {
    "c": frozenset("""drand48_data f_owner_ex file_handle flock flock64 futex_waitv iovec itimerspec obstack random_data
        robust_list robust_list_head sched_param sigevent stat stat64 statx statx_timestamp timespec timeval
        timex tm pthread_attr_t""".split()),
    "python": frozenset(["any", "getattr", "ImportError"]),
}
_RESERVED_PATTERN = {
    # The implementation's names (_Pragma, __linux__), c/sharedstruct.h's macros and the header's guards
    # (SS_HDR_LOCK, SHAREDSTRUCT_STRUCT_Point), stdint.h's limits and the header's macros (STATS_LAYOUT).
    "c": re.compile(r"(__|_[A-Z]|SS_|SHAREDSTRUCT_).*|[A-Z0-9_]*_(MIN|MAX|FINGERPRINT|LAYOUT)"),
    # A name beginning and ending with __ would replace the class's own attribute (__init__, __class__).
    "python": re.compile(r"(?=__).*(?<=__)"),
}


def _ascii_word(text):
    return re.sub(r"[^A-Za-z0-9_]", "_", text, flags=re.ASCII)


def _word(stored):
    word = _ascii_word(stored)
    return "_" + word if not word or word[0].isdigit() else word


def identifier(stored, lang):
    """An identifier of lang for a field's name as the region stores it: every character outside
    [A-Za-z0-9_] becomes _, a leading digit gets a _ before it, a reserved name a _ after it
    (from -> from_, __init__ -> __init___ in Python; errno -> errno_ in C)."""
    word = _word(stored)
    return word + "_" if word in _RESERVED[lang] or _RESERVED_PATTERN[lang].fullmatch(word) else word


def type_identifier(stored, lang):
    """An identifier of lang for a struct's name: as identifier(), and in C also the C library's
    tags c/sharedstruct.h declares (stat -> stat_), in Python the module's builtins (any -> any_);
    a Python name beginning with __ gets _ after it until it ends with ___ (another class's body
    would mangle it, a dunder would replace the module's own)."""
    word = _word(stored)
    if lang == "python" and word.startswith("__"):
        while not word.endswith("___"):
            word += "_"
        return word
    if word in _RESERVED[lang] or word in _RESERVED_FOR_TYPES[lang] or _RESERVED_PATTERN[lang].fullmatch(word):
        return word + "_"
    return word


def unique_identifier(stored, taken, naming):
    """naming(stored), else naming of stored with more and more _ after it, the first not in taken;
    then taken holds it too. Each candidate is an identifier the rules give, so none is reserved
    (fields __init_ and __init$ are __init_ and __init___ in Python, never __init__)."""
    candidate = stored
    while True:
        word = naming(candidate)
        if word not in taken:
            taken.add(word)
            return word
        candidate += "_"


def unique_name(word, taken):
    """word, with _ appended until it is none of taken; then taken holds it too."""
    while word in taken:
        word += "_"
    taken.add(word)
    return word


class LayoutTextError(ValueError):
    """A stored layout text that is not one the Java runtime writes (a corrupt region)."""

    def __init__(self, text, why):
        self.text, self.why = text, why
        self.shown = text if len(text) <= 200 else text[:200] + "..."
        super().__init__('the stored layout "%s" is not readable: %s' % (self.shown, why))


class Field:
    """One field of a struct: name, kind ("scalar", "array", "text", "struct", "struct_array"),
    ctypes type, offset, and for structs the nested Layout. attr is its attribute in the ctypes
    class, set by its Layout: the identifier the emitted module gives it (identifier(name,
    "python"), made unique in the struct), so that a ctypes class ctypes accepts (a field named
    _fields_ or from_buffer is no member name) and a generated class are read by the same names."""

    def __init__(self, name, kind, ctype, offset, nested=None, length=None, prim=None):
        self.name, self.kind, self.ctype, self.offset, self.nested, self.length = name, kind, ctype, offset, nested, length
        self.prim = prim   # the stored text's primitive name ("double", "char"), for scalars, arrays and text
        self.attr = name


class Layout:
    """A struct read from layout text: its fields in order and a ctypes class at the exact offsets."""

    def __init__(self, name, fields, size):
        self.name, self.fields, self.size = name, fields, size
        taken = set()
        for field in fields:   # in field order, as emit.py names them
            field.attr = unique_identifier(field.name, taken, lambda stored: identifier(stored, "python"))
        members, at = [], 0
        for i, field in enumerate(sorted(fields, key=lambda f: f.offset)):
            if field.offset < at:
                raise LayoutTextError("", "in %s, field %s at offset %d overlaps the one before" % (name, field.name, field.offset))
            if field.offset > at:
                # Named apart from every field: a member named twice is the last one (a field _pad1 read the padding).
                members.append((unique_name("_pad%d" % i, taken), ctypes.c_uint8 * (field.offset - at)))
            members.append((field.attr, field.ctype))
            at = field.offset + ctypes.sizeof(field.ctype)
        if size < at:
            raise LayoutTextError("", "in %s, size %d is less than its fields' end %d" % (name, size, at))
        if size > at:
            members.append((unique_name("_pad_end", taken), ctypes.c_uint8 * (size - at)))
        self.ctype = type(name, (ctypes.Structure,), {"_pack_": 1, "_fields_": members})


def _number(digits, text):
    if not _NUMBER.fullmatch(digits):
        raise LayoutTextError(text, '"%s" is not a number' % digits[:40])
    if len(digits) > 10 or int(digits) > MAX_STRUCT_SIZE:
        raise LayoutTextError(text, "it holds the number %s, above the largest struct (%d bytes)" % (digits[:40], MAX_STRUCT_SIZE))
    return int(digits)


def entries(text):
    """[(path, type, offset)] and the size, from "x:double@0;origin.y:double@24;size=32".
    Raises LayoutTextError (a ValueError) for a text the Java runtime does not write."""
    found, size, seen = [], None, set()
    for part in text.split(";"):
        if not part:
            continue
        if part.startswith("size="):
            size = _number(part[5:], text)
            continue
        colon, at = part.find(":"), part.rfind("@")
        if colon <= 0 or at < colon:
            raise LayoutTextError(text, '"%s" is not name:type@offset' % part[:80])
        name, shape = part[:colon], part[colon + 1:at]
        if part.count(".", 0, colon) >= MAX_DEPTH:
            raise LayoutTextError(text, "field %s... is nested more than %d levels deep" % (name[:40], MAX_DEPTH))
        path = name.split(".")
        if "" in path or any(component.find("[]") not in (-1, len(component) - 2) for component in path):
            raise LayoutTextError(text, 'the field name "%s" is not a path of field names' % name[:80])
        if name in seen:
            raise LayoutTextError(text, "field %s appears twice" % name[:80])
        seen.add(name)
        found.append((path, shape, _number(part[at + 1:], text)))
    if size is None:
        raise LayoutTextError(text, "it has no size")
    return found, size


def parse(text, name="Struct"):
    """The Layout of a stored layout text; LayoutTextError (a ValueError) names what is wrong with a corrupt one."""
    try:
        found, size = entries(text)
        for path, shape, offset in found:
            # Element fields are checked against their element's size when it is built.
            if not _in_element(path) and offset + _end(shape, path, text) > size:
                raise LayoutTextError(text, "field %s ends past the struct's %d bytes" % (".".join(path), size))
        return _build(name, found, size, text)
    except LayoutTextError as e:
        if e.text != text:   # raised by a Layout, which does not know the text
            raise LayoutTextError(text, e.why) from None
        raise


def _shape(shape, text=""):
    """(kind, ctypes type, length) of "double", "int[4]", "char[16]"; structs are handled by the caller."""
    match = re.fullmatch(r"([a-z]+)(?:\[(\d+)\])?", shape)
    if match is None or match.group(1) not in F.LAYOUT_TYPES:
        raise LayoutTextError(text, 'type "%s" is unknown to this version' % shape[:80])
    base, length = match.group(1), match.group(2)
    if length is not None:
        length = _number(length, text)
    if base == "char" and length is not None:
        return "text", ctypes.c_char * length, length, base
    ctype = getattr(ctypes, F.LAYOUT_TYPES[base])
    if length is None:
        return "scalar", ctype, None, base
    return "array", ctype * length, length, base


def _struct_array(shape, text=""):
    """(element size, length) of "struct16[3]", or None for another type."""
    match = re.fullmatch(r"struct(\d+)\[(\d+)\]", shape)
    if match is None:
        return None
    return _number(match.group(1), text), _number(match.group(2), text)


def _build(name, found, size, text=""):
    # Recursion: one level per path component, and entries() allows at most MAX_DEPTH of them.
    fields, order = {}, []
    groups = {}
    for path, shape, offset in found:
        head = path[0]
        if len(path) == 1:
            struct_array = _struct_array(shape, text)
            if struct_array:
                fields[head] = ("struct_array", struct_array[0], struct_array[1], offset)
            else:
                kind, ctype, length, prim = _shape(shape, text)
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
            if head in fields:
                raise LayoutTextError(text, "field %s is both a field and a struct" % head)
            if all(_in_element(p) for p, _, _ in members):
                raise LayoutTextError(text, "struct %s has only fields of an element of a struct array not in it" % head)
            # Offsets inside a struct array's element are relative to the element already.
            base = min(o for p, _, o in members if not _in_element(p))
            relative = [(p, s, o if _in_element(p) else o - base) for p, s, o in members]
            end = max(o + _end(s, p, text) for p, s, o in relative if not _in_element(p))
            nested = _build(name + "_" + head, relative, end, text)
            result.append(Field(head, "struct", nested.ctype, base, nested=nested))
            continue
        spec = fields[head]
        if isinstance(spec, Field):
            result.append(spec)
            continue
        _, element_size, length, offset = spec
        element = _build(name + "_" + head, groups.get(head + "[]", []), element_size, text)
        result.append(Field(head, "struct_array", element.ctype * length, offset, nested=element, length=length))
    return Layout(name, result, size)


def _in_element(path):
    return any(component.endswith("[]") for component in path[:-1])


def _end(shape, path, text=""):
    struct_array = _struct_array(shape, text)
    if struct_array:
        return struct_array[0] * struct_array[1]
    return ctypes.sizeof(_shape(shape, text)[1])


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
