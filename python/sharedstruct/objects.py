"""Python views of a region's objects, as multiprocessing.sharedctypes' synchronized wrappers:
every field access takes the object's lock (re-entrant, so a with-block around several accesses
costs one acquisition plus cheap re-entries); get_obj() is the raw ctypes view, get_lock() the lock."""
import ctypes

from . import lock as locks
from .layout import unique_name


class _NoLock:
    """The lock of a raw object: accesses are not guarded."""
    previous_owner_died = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


NO_LOCK = _NoLock()


class Text(str):
    """A text field's value: a str (UTF-8 up to the first NUL) whose .raw is all of its bytes."""

    def __new__(cls, raw):
        value = super().__new__(cls, raw.split(b"\0", 1)[0].decode("utf-8", "replace"))
        value.raw = raw
        return value


def _encode_text(field, value, length):
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    if len(data) > length:
        raise ValueError("%s holds %d bytes of UTF-8, %r is %d" % (field, length, value, len(data)))
    return data + b"\0" * (length - len(data))


class _Synchronized:
    __slots__ = ("_raw", "_lock", "_keep")

    def __init__(self, raw, lock, keep):
        self._raw, self._lock, self._keep = raw, lock, keep

    def get_obj(self):
        """The raw ctypes view: no lock."""
        return self._raw

    def get_lock(self):
        if self._lock is NO_LOCK:
            raise AttributeError("this object is raw (it has no lock)")
        return self._lock


_view_classes = {}
#: The view's own attributes. A field named like one of them (or like any __dunder__) would replace
#: it, and the view would lose its lock or its raw object: such a field is the attribute with _
#: after its name instead (get_lock_, _raw_), more _ while that names another field.
_VIEW_ATTRIBUTES = frozenset(dir(_Synchronized)) | {"_layout"}


def view_names(layout):
    """{field name: the view's attribute for it}: the field's own name but for the view's attributes."""
    names, taken = {}, set(_VIEW_ATTRIBUTES) | {f.name for f in layout.fields}
    for field in layout.fields:
        name = field.name
        if name in _VIEW_ATTRIBUTES or (name.startswith("__") and name.endswith("__")):
            name = unique_name(name + "_", taken)
        names[field.name] = name
    return names


def struct_view_class(layout):
    """A class with one property per field of layout, each access under the object's lock."""
    cached = _view_classes.get(id(layout))
    if cached is not None and cached[0] is layout:
        return cached[1]
    names = view_names(layout)
    namespace = {"__slots__": (), "_layout": layout}
    for field in layout.fields:
        namespace[names[field.name]] = _property(field)
    namespace["__repr__"] = lambda self: "%s(%s)" % (layout.name, ", ".join(
        "%s=%r" % (f.name, getattr(self, names[f.name])) for f in layout.fields))
    cls = type(layout.name, (_Synchronized,), namespace)
    _view_classes[id(layout)] = (layout, cls)
    return cls


def _property(field):
    name = field.attr   # of the raw ctypes object: the dynamic class's or a generated one's
    if field.kind == "scalar" and locks.NATIVE is not None:
        return locks.NATIVE.LockedField(name)   # the same as below, in C
    if field.kind == "scalar":
        def get(self):
            with self._lock:
                return getattr(self._raw, name)

        def put(self, value):
            with self._lock:
                setattr(self._raw, name, value)
        return property(get, put)
    if field.kind == "text":
        stored_length = field.length

        def span(raw):
            # The layout says how long the text is; the ctypes class (the caller's own, with
            # find(name, cls)) says how many bytes the field really has. The layout may come from
            # the file, so it never widens the field: never read or write past the class's bytes.
            descriptor = getattr(type(raw), name)
            return ctypes.addressof(raw) + descriptor.offset, min(stored_length, descriptor.size)

        def get(self):
            # ctypes cuts a char array at its first NUL; .raw needs every byte.
            with self._lock:
                address, length = span(self._raw)
                return Text(ctypes.string_at(address, length))

        def put(self, value):
            address, length = span(self._raw)
            data = _encode_text(name, value, length)
            with self._lock:
                ctypes.memmove(address, data, length)
        return property(get, put)
    if field.kind == "struct":
        cls = struct_view_class(field.nested)

        def get(self):
            return cls(getattr(self._raw, name), self._lock, self._keep)

        def put(self, value):
            source = value.get_obj() if isinstance(value, _Synchronized) else value
            with self._lock:
                setattr(self._raw, name, source)
        return property(get, put)
    # primitive arrays and struct arrays
    def get(self):
        return ArrayView(getattr(self._raw, name), self._lock, self._keep, field.nested)

    def put(self, values):
        with self._lock:
            ArrayView(getattr(self._raw, name), self._lock, self._keep, field.nested)[:] = values
    return property(get, put)


class ArrayView(_Synchronized):
    """An array (primitive or of structs): len, indexes and slices, each access under the lock."""
    __slots__ = ("_element",)

    def __init__(self, raw, lock, keep, element_layout=None):
        super().__init__(raw, lock, keep)
        self._element = struct_view_class(element_layout) if element_layout is not None else None

    def __len__(self):
        return len(self._raw)

    def __getitem__(self, index):
        if self._element is not None:
            if isinstance(index, slice):
                return [self._element(self._raw[i], self._lock, self._keep) for i in range(*index.indices(len(self._raw)))]
            return self._element(self._raw[index], self._lock, self._keep)
        with self._lock:
            return self._raw[index]

    def __setitem__(self, index, value):
        with self._lock:
            if self._element is not None:
                if isinstance(index, slice):
                    indexes = range(*index.indices(len(self._raw)))
                    values = list(value)
                    if len(values) != len(indexes):
                        raise ValueError("slice of %d elements, %d values given" % (len(indexes), len(values)))
                    for i, v in zip(indexes, values):
                        self._raw[i] = v.get_obj() if isinstance(v, _Synchronized) else v
                else:
                    self._raw[index] = value.get_obj() if isinstance(value, _Synchronized) else value
                return
            if isinstance(index, slice):
                indexes = range(*index.indices(len(self._raw)))
                values = list(value)
                if len(values) != len(indexes):
                    raise ValueError("slice of %d elements, %d values given (an array's length cannot change)"
                                     % (len(indexes), len(values)))
            self._raw[index] = value

    def __iter__(self):
        return iter(self[:])

    def __repr__(self):
        return "ArrayView(%r)" % (self[:],)


class StringView(_Synchronized):
    """A 'c' array (Java SharedString): .value is the str up to the first NUL, .raw all bytes."""
    __slots__ = ()

    @property
    def value(self):
        with self._lock:
            return Text(self._raw.raw).__str__()

    @value.setter
    def value(self, text):
        data = _encode_text("this string", text, len(self._raw))
        with self._lock:
            self._raw.raw = data

    @property
    def raw(self):
        with self._lock:
            return self._raw.raw

    def __len__(self):
        return len(self._raw)


class ValueView(_Synchronized):
    """A primitive value (Value('i')): .value under the lock."""
    __slots__ = ()

    @property
    def value(self):
        with self._lock:
            return self._raw.value

    @value.setter
    def value(self, v):
        with self._lock:
            self._raw.value = v
