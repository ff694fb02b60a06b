"""Regions: map a region file, check its header, find named objects (docs/FORMAT.md)."""
import contextlib
import ctypes
import mmap
import os
import stat
import struct
import time

from . import format as F
from . import layout as layouts
from . import lock as locks
from . import objects


class InvalidRegionError(Exception):
    """The file is not a usable region: not one, another format version, truncated, corrupt."""


class LayoutMismatchError(ValueError):
    """A named object's stored layout differs from the class it was asked for with."""


class Region:
    """A mapped region file. Use Region.open(path) in a with-statement."""

    READY_TIMEOUT = 10.0
    #: Seconds find, info and names wait for the region lock (held for microseconds by every
    #: holder) before they raise TimeoutError: a stuck holder, or an owner word forged to name a
    #: live process, would otherwise block them for good. Set it on the class or on one region.
    LOCK_TIMEOUT = 30.0

    def __init__(self, path, file, mapping):
        self.path = path
        self._file = file
        self._map = mapping
        self._base = (ctypes.c_char * len(mapping)).from_buffer(mapping)
        self.address = ctypes.addressof(self._base)
        self.size = len(mapping)
        self._region_lock = locks.make_lock(self.address + F.HDR_LOCK, self)
        self._layouts = {}

    @classmethod
    def open(cls, path):
        path = os.fspath(path)
        try:
            fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError as e:
            raise InvalidRegionError("cannot open %s: %s" % (path, e.strerror)) from None
        file = os.fdopen(fd, "r+b")
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise InvalidRegionError("%s is not a regular file" % path)
            if info.st_size < F.DATA_START:
                raise InvalidRegionError("%s is not a sharedstruct region: %d bytes, shorter than a region header"
                                         % (path, info.st_size))
            mapping = mmap.mmap(fd, info.st_size)
            try:
                cls._check_header(path, mapping)
                return cls(path, file, mapping)
            except BaseException:
                mapping.close()
                raise
        except BaseException:
            file.close()
            raise

    @classmethod
    def _check_header(cls, path, mapping):
        deadline = time.monotonic() + cls.READY_TIMEOUT
        while True:
            magic, version, ready, size = struct.unpack_from("<QiiQ", mapping, F.HDR_MAGIC)
            if magic != F.MAGIC and magic != 0:
                raise InvalidRegionError('%s is not a sharedstruct region: it does not start with "SHSTRUCT"' % path)
            if magic == F.MAGIC and ready == 1:
                break
            if time.monotonic() > deadline:
                raise InvalidRegionError("%s was never initialised as a region: its creator died, or it is not a region file"
                                         % path)
            time.sleep(0.01)
        if version != F.FORMAT_VERSION:
            raise InvalidRegionError("%s is a region of format version %d, but this peer reads version %d"
                                     % (path, version, F.FORMAT_VERSION))
        if size != len(mapping):
            raise InvalidRegionError("%s is %s: its header says %d bytes, the file has %d"
                                     % (path, "truncated" if len(mapping) < size else "longer than its header says",
                                        size, len(mapping)))
        # Only bounds that hold for every value a good region ever has: other processes allocate
        # and free while this one opens, so top, the directory and the bins are never compared
        # with each other here (each walk checks what it follows, under the region lock).
        top, = struct.unpack_from("<q", mapping, F.HDR_TOP)
        if not (F.DATA_START <= top <= size and top % F.BLOCK_ALIGNMENT == 0):
            raise InvalidRegionError("%s has a corrupt header: top %d is outside the region" % (path, top))
        directory, = struct.unpack_from("<q", mapping, F.HDR_DIRECTORY)
        if directory != 0 and not (F.DATA_START + F.BLOCK_HEADER <= directory < size and directory % F.BLOCK_ALIGNMENT == 0):
            raise InvalidRegionError("%s has a corrupt header: directory %d is outside the region" % (path, directory))
        # Written once by the creator: stable. The block-start map is the first block.
        starts, = struct.unpack_from("<q", mapping, F.HDR_STARTS)
        first_size, first_state, first_kind = (struct.unpack_from("<qHH", mapping, F.DATA_START)
                                               if size >= F.DATA_START + F.MIN_BLOCK else (0, 0, 0))
        if (starts != F.DATA_START + F.BLOCK_HEADER or first_state != F.STATE_ALLOCATED or first_kind != F.KIND_STARTS
                or not F.BLOCK_HEADER + F.starts_bytes(size) <= first_size <= size - F.DATA_START):
            raise InvalidRegionError("%s is corrupt: its first block is not the block-start map its size calls for" % path)
        index, buckets = struct.unpack_from("<qq", mapping, F.HDR_INDEX)
        if buckets != F.index_buckets(size):
            raise InvalidRegionError("%s has a corrupt header: its name index has %d buckets, a region of %d bytes has %d"
                                     % (path, buckets, size, F.index_buckets(size)))
        if not F.DATA_START + F.BLOCK_HEADER <= index < size or index % F.BLOCK_ALIGNMENT or buckets > (size - index) // 8:
            raise InvalidRegionError("%s has a corrupt header: a name index of %d buckets at %d is outside the region"
                                     % (path, buckets, index))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        """Unmaps the region once no object found in it is still in use (their memory is the mapping)."""
        if self._map is None:
            return
        self._region_lock = None
        self._base = None
        try:
            self._map.close()
        except BufferError:
            pass  # objects found in the region still point into it; the mapping goes when they do
        self._map = None
        self._file.close()

    def _int(self, fmt, offset):
        return struct.unpack_from(fmt, self._map, offset)[0]

    def _block(self, payload):
        """(kind, payload size) of the allocated block whose payload is at payload; (None, 0) when it
        is not one. Use the size it returns, never a second read of the size word: another process
        may rewrite it in between, past the end of the mapping."""
        block = payload - F.BLOCK_HEADER
        top = self._int("<q", F.HDR_TOP)
        if block < F.DATA_START or block % F.BLOCK_ALIGNMENT or block > top - F.MIN_BLOCK or top > self.size:
            return None, 0
        size, state, kind = struct.unpack_from("<qHH", self._map, block + F.BLK_SIZE)
        if size < F.MIN_BLOCK or size % F.BLOCK_ALIGNMENT or size > top - block or state != F.STATE_ALLOCATED:
            return None, 0
        # A header alone proves nothing: an object's bytes can hold a copy of one. The block-start
        # map, which no view covers, must mark it too (docs/FORMAT.md 3.3).
        word, mask = F.start_bit(block)
        if not self._int("<Q", word) & mask:
            return None, 0
        return kind, size - F.BLOCK_HEADER

    def _block_kind(self, payload):
        """The kind of the allocated block whose payload is at payload; None when it is not one."""
        return self._block(payload)[0]

    def _corrupt(self, what):
        return InvalidRegionError("the directory of %s is corrupt: %s" % (self.path, what))

    def _is_entry(self, entry):
        """Whether entry is the payload of an allocated directory entry block large enough for one."""
        kind, size = self._block(entry)
        return kind == F.KIND_DIRECTORY_ENTRY and size >= F.DIR_ENTRY_SIZE

    def names(self):
        """Every name in the directory."""
        with self._metadata_locked():
            return [self._text(entry + F.DIR_NAME, F.DIR_NAME_BYTES) for entry in self._entries()]

    def _entries(self):
        entry, visited = self._int("<q", F.HDR_DIRECTORY), 0
        while entry != 0:
            visited += 1
            if not self._is_entry(entry) or visited > self.size // F.DIR_ENTRY_SIZE:
                raise self._corrupt("offset %d is not a directory entry" % entry)
            yield entry
            entry = self._int("<q", entry + F.DIR_NEXT)

    @contextlib.contextmanager
    def _metadata_locked(self):
        """Holds the region lock. A peer does not repair the metadata (docs/FORMAT.md 4.5): when it
        takes the lock over from a dead owner it leaves the repair owed to the next Java process.
        Raises ValueError once the region is closed (find, info and names alike), TimeoutError when
        the lock is not had within LOCK_TIMEOUT seconds."""
        if self._map is None:
            raise ValueError("region %s is closed" % self.path)
        if not self._region_lock.acquire(timeout=self.LOCK_TIMEOUT):
            owner = self._int("<q", F.HDR_LOCK)
            raise TimeoutError("gave up after %g s waiting for the region lock of %s (its owner word names pid %d):"
                               " the holder is stuck, or the region is corrupt"
                               % (self.LOCK_TIMEOUT, self.path, owner >> 32 if owner > 0 else 0))
        try:
            if self._region_lock.previous_owner_died:
                struct.pack_into("<q", self._map, F.HDR_REPAIR_REQUESTED, 1)
            yield
        except struct.error as e:
            # Every offset is checked before it is read, so only a word rewritten by another process
            # between its check and its use gets here: the region's error, not struct's.
            raise InvalidRegionError("the metadata of %s changed under a read, or is corrupt: %s" % (self.path, e)) from None
        finally:
            self._region_lock.release()

    def _lookup(self, wanted):
        """The entry named wanted (UTF-8 bytes), found through the name index; None if there is none.
        Call with the region lock held. Every bucket link is checked before it is followed, and the
        walk is bounded by the number of entries the region could hold. While a repair is owed only
        the entry chain is true, so it is walked instead of the derived index."""
        if self._int("<q", F.HDR_REPAIR_REQUESTED) != 0:
            for entry in self._entries():
                if self._map[entry + F.DIR_NAME:entry + F.DIR_NAME + len(wanted) + 1] == wanted + b"\0":
                    return entry
            return None
        index, buckets = struct.unpack_from("<qq", self._map, F.HDR_INDEX)
        index_kind, index_size = self._block(index)
        if index_kind != F.KIND_INDEX or buckets != F.index_buckets(self.size) or index_size < buckets * 8:
            raise self._corrupt("the name index (%d buckets at %d) is not an index block" % (buckets, index))
        wanted_hash = F.name_hash(wanted)
        entry = self._int("<q", index + 8 * (wanted_hash & (buckets - 1)))
        visited = 0
        while entry != 0:
            visited += 1
            if not self._is_entry(entry) or visited > self.size // F.DIR_ENTRY_SIZE:
                raise self._corrupt("offset %d in the name index is not a directory entry" % entry)
            if (self._int("<Q", entry + F.DIR_HASH) == wanted_hash
                    and self._map[entry + F.DIR_NAME:entry + F.DIR_NAME + len(wanted) + 1] == wanted + b"\0"):
                return entry
            entry = self._int("<q", entry + F.DIR_HASH_NEXT)
        return None

    def _layout_text(self, offset, block_bytes):
        """The stored layout text in the TEXT block at offset: read from its first 16 MiB at most."""
        return self._text(offset, min(block_bytes, F.MAX_LAYOUT_BYTES))

    def _text(self, offset, limit):
        raw = self._map[offset:offset + limit]
        return raw.split(b"\0", 1)[0].decode("utf-8", "replace")

    def find(self, name, cls=None):
        """The object named name: a struct, struct array, primitive array or value, as a view whose
        accesses take the object's lock. With cls (a generated ctypes class carrying FINGERPRINT and
        LAYOUT), the stored fingerprint must match, else LayoutMismatchError names the fields that differ."""
        wanted = name.encode("utf-8")
        if not wanted or len(wanted) >= F.DIR_NAME_BYTES:
            raise ValueError("name %r must be 1 to %d bytes of UTF-8" % (name, F.DIR_NAME_BYTES - 1))
        with self._metadata_locked():
            entry = self._lookup(wanted)
            if entry is not None:
                return self._view(name, entry, cls)
        raise KeyError("no object named %r in %s" % (name, self.path))

    def info(self, name):
        """What the directory records of name: kind, type, fingerprint, length, layout (the stored text)."""
        wanted = name.encode("utf-8")
        if not wanted or len(wanted) >= F.DIR_NAME_BYTES:
            raise ValueError("name %r must be 1 to %d bytes of UTF-8" % (name, F.DIR_NAME_BYTES - 1))
        with self._metadata_locked():
            entry = self._lookup(wanted)
            if entry is not None:
                fingerprint, layout_offset = struct.unpack_from("<qq", self._map, entry + F.DIR_FINGERPRINT)
                kind, length = struct.unpack_from("<ii", self._map, entry + F.DIR_KIND)
                self._check_object_kind(name, kind)
                block_kind = self._block_kind(self._int("<q", entry + F.DIR_BLOCK))
                if block_kind is None or block_kind & ~F.KIND_OWN_LOCK != kind:
                    raise self._corrupt("the entry %r names memory that does not hold it" % name)
                text_kind, size = self._block(layout_offset)
                if text_kind != F.KIND_TEXT:
                    raise self._corrupt("the entry %r names no layout text" % name)
                return {"kind": F.KIND_NAMES.get(kind, kind), "type": self._text(entry + F.DIR_TYPE, F.DIR_TYPE_BYTES),
                        "fingerprint": fingerprint & 0xFFFFFFFFFFFFFFFF, "length": length,
                        "layout": self._layout_text(layout_offset, size)}
        raise KeyError("no object named %r in %s" % (name, self.path))

    def _view(self, name, entry, cls):
        block, offset, lock, fingerprint, layout_offset = struct.unpack_from("<qqqqq", self._map, entry + F.DIR_BLOCK)
        kind, length = struct.unpack_from("<ii", self._map, entry + F.DIR_KIND)
        generation = self._int("<q", entry + F.DIR_GENERATION)
        self._check_object_kind(name, kind)
        block_kind, payload = self._block(block)
        own = block_kind is not None and bool(block_kind & F.KIND_OWN_LOCK)
        lock_kind, lock_size = self._block(lock) if lock not in (0, block) else (None, 0)
        text_kind, text_size = self._block(layout_offset)
        # The generation of the lock cell's block, the object's own or its LOCK block's: every claim
        # checks it, so that a lock kept after another process freed the object is refused.
        lock_generation = (0 if lock == 0 else generation if lock == block
                           else self._int("<q", lock - F.BLOCK_HEADER + F.BLK_GENERATION)
                           if lock_kind == F.KIND_LOCK else -1)
        if (block_kind is None or block_kind & ~F.KIND_OWN_LOCK != kind or generation <= 0
                or self._int("<q", block - F.BLOCK_HEADER + F.BLK_GENERATION) != generation or offset != block + (F.LOCK_CELL_SIZE if own else 0)
                or text_kind != F.KIND_TEXT or length < 1
                or (lock not in (0, block) and lock_kind != F.KIND_LOCK) or (lock == block and not own)
                or (lock != 0 and lock_generation <= 0)):
            raise self._corrupt("the entry %r names memory that does not hold it" % name)
        if lock not in (0, block) and lock_size < F.LOCK_CELL_SIZE:
            # A claim writes the whole cell: in a smaller block it would write the next block's header.
            raise InvalidRegionError('the lock of "%s" in %s is in a block of %d bytes, too small for a %d-byte lock cell:'
                                     " the region is corrupt" % (name, self.path, lock_size, F.LOCK_CELL_SIZE))
        stored = self._layout_text(layout_offset, text_size)
        type_name = self._text(entry + F.DIR_TYPE, F.DIR_TYPE_BYTES)
        # Every object and lock holds an export of the mapping (ctypes from_buffer, not from_address):
        # close() then leaves the mapping to them (mmap refuses to close, BufferError) instead of
        # unmapping memory they point into, which crashed the process at their next access.
        keep = ctypes.c_char.from_buffer(self._map, lock or offset)
        what = '%s "%s" in %s' % ("the object" if lock == block else "the lock of", name, self.path)
        start_word, start_mask = F.start_bit(lock - F.BLOCK_HEADER)
        guard = objects.NO_LOCK if lock == 0 else locks.make_lock(
            self.address + lock, keep, lock_generation, what, self.address + start_word, start_mask)
        if kind in (F.KIND_STRUCT, F.KIND_STRUCT_ARRAY):
            if cls is not None:
                expected = getattr(cls, "FINGERPRINT", None)
                if expected is None:
                    raise TypeError("%r is not a generated sharedstruct class (it has no FINGERPRINT)" % (cls,))
                if expected & 0xFFFFFFFFFFFFFFFF != fingerprint & 0xFFFFFFFFFFFFFFFF:
                    raise LayoutMismatchError('"%s" in %s cannot be used as %s: it is a %s whose layout differs: %s'
                                              % (name, self.path, cls.__name__, type_name,
                                                 layouts.differences(stored, getattr(cls, "LAYOUT", ""))))
            # With the caller's class, its own layout describes the view: the stored text is the
            # file's, which the fingerprint does not cover byte for byte.
            own_layout = getattr(cls, "LAYOUT", None) if cls is not None else None
            struct_layout = self._layout(own_layout or stored, type_name, name)
            raw_class = cls if cls is not None else struct_layout.ctype
            if kind == F.KIND_STRUCT:
                self._check_fits(name, payload, ctypes.sizeof(raw_class), own)
                raw = raw_class.from_buffer(self._map, offset)
                return objects.struct_view_class(struct_layout)(raw, guard, keep)
            self._check_fits(name, payload, ctypes.sizeof(raw_class) * length, own)
            raw = (raw_class * length).from_buffer(self._map, offset)
            return objects.ArrayView(raw, guard, keep, struct_layout)
        if cls is not None:
            raise TypeError('"%s" is a %s, not a struct: find it without a class' % (name, F.KIND_NAMES.get(kind, kind)))
        # Only a stored character that is itself a typecode names one: an out-of-range word is
        # refused, never read as some default type.
        code = chr(fingerprint) if 0 < fingerprint < 128 else None
        if code not in F.TYPECODES:
            raise self._corrupt("the entry %r has an unknown typecode %d" % (name, fingerprint))
        ctype = getattr(ctypes, F.TYPECODES[code][0])
        if kind == F.KIND_PRIMITIVE_VALUE:
            self._check_fits(name, payload, ctypes.sizeof(ctype), own)
            return objects.ValueView(ctype.from_buffer(self._map, offset), guard, keep)
        if kind == F.KIND_PRIMITIVE_ARRAY:
            self._check_fits(name, payload, ctypes.sizeof(ctype) * length, own)
            raw = (ctype * length).from_buffer(self._map, offset)
            return objects.StringView(raw, guard, keep) if code == "c" else objects.ArrayView(raw, guard, keep)
        raise self._corrupt("the entry %r has kind %d" % (name, kind))

    def _check_object_kind(self, name, kind):
        """Only objects (kinds 2 to 5) have names: another kind would make the name's own metadata its object."""
        if kind not in F.KIND_NAMES:
            raise self._corrupt("the entry %r has kind %d, which is not an object's (2 to 5)" % (name, kind))

    def _check_fits(self, name, payload, needed, own):
        if needed > payload - (F.LOCK_CELL_SIZE if own else 0):
            raise self._corrupt("the block of %r is smaller than its %d bytes" % (name, needed))

    def _layout(self, stored, type_name, name):
        cached = self._layouts.get(stored)
        if cached is None:
            simple = type_name.rsplit(".", 1)[-1].rsplit("$", 1)[-1] or "Struct"
            try:
                cached = layouts.parse(stored, simple)
            except layouts.LayoutTextError as e:
                raise InvalidRegionError('the stored layout of "%s" in %s is not readable: %s (the region is corrupt; its text: "%s")'
                                         % (name, self.path, e.why, e.shown)) from None
            self._layouts[stored] = cached
        return cached
