"""Every offset and constant of the region format (docs/FORMAT.md, format version 4) that the
Python peer depends on, in one place: adapting to a new format version starts here.
Section names follow docs/FORMAT.md."""

# -- Region header --
MAGIC = 0x5443555254534853          # b"SHSTRUCT" read as a little-endian int64
FORMAT_VERSION = 4
HDR_MAGIC = 0                       # int64
HDR_VERSION = 8                     # int32
HDR_READY = 12                      # int32, 1 once the creator has initialised the region
HDR_SIZE = 16                       # int64, bytes in the region, header included
HDR_REGION_ID = 24                  # int64
HDR_LOCK = 32                       # lock cell guarding the allocator and the directory
HDR_TOP = 64                        # int64, first offset never allocated
HDR_LAST_SIZE = 72                  # int64, size of the block that ends at top
HDR_FREE_BYTES = 80                 # int64
HDR_DIRECTORY = 88                  # int64, newest directory entry; 0 = none
HDR_INDEX = 144                     # int64, payload of the INDEX block (bucket heads)
HDR_INDEX_BUCKETS = 152             # int64, a power of two
HDR_INDEX_ENTRIES = 160             # int64
HDR_BIN_MAP = 168                   # uint64[2]
HDR_REPAIR_REQUESTED = 184          # int64, 1 once a peer took the region lock over from a dead owner
HDR_STARTS = 192                    # int64, payload of the STARTS block: always DATA_START + BLOCK_HEADER
HDR_BINS = 256                      # int64[128], free bins (the Java runtime allocates; peers only read)
DATA_START = 1280                   # where blocks start

# -- Blocks --
BLOCK_HEADER = 64
BLOCK_ALIGNMENT = 16
MIN_BLOCK = 80
BLK_SIZE = 0                        # int64, whole block, header included
BLK_STATE = 8                       # int16
BLK_KIND = 10                       # int16
BLK_LOCK_USERS = 12                 # int32, a LOCK block: live objects using it
BLK_GENERATION = 16                 # int64, at least 1; 0 once freed (ALLOCATED with 0: a free cut short, no object)
BLK_LOCK = 24                       # int64, the object's lock cell (0 raw)
BLK_FINGERPRINT = 32                # int64
BLK_LENGTH = 40                     # int64
BLK_PREV_SIZE = 48                  # int64, size of the block below (boundary tag)
BLK_ENTRY = 56                      # int64, directory entry naming the object; 0 = unnamed
STATE_ALLOCATED = 0x5A11
STATE_FREE = 0x5F4E
KIND_LOCK = 1
KIND_STRUCT = 2
KIND_STRUCT_ARRAY = 3
KIND_PRIMITIVE_ARRAY = 4
KIND_PRIMITIVE_VALUE = 5
KIND_DIRECTORY_ENTRY = 6
KIND_TEXT = 7
KIND_INDEX = 8
KIND_STARTS = 9                     # the block-start map: a bit per 16 bytes of data, set where an allocated block starts
KIND_OWN_LOCK = 0x100
KIND_NAMES = {KIND_STRUCT: "struct", KIND_STRUCT_ARRAY: "struct array",
              KIND_PRIMITIVE_ARRAY: "array", KIND_PRIMITIVE_VALUE: "value"}

# -- Directory --
DIR_NEXT = 0                        # int64, next (older) entry
DIR_PREV = 8                        # int64, previous (newer) entry
DIR_HASH_NEXT = 16                  # int64, next entry in the same index bucket
DIR_HASH = 24                       # uint64, FNV-1a 64 of the name
DIR_BLOCK = 32                      # int64
DIR_OBJECT = 40                     # int64
DIR_LOCK = 48                       # int64, 0 = raw
DIR_FINGERPRINT = 56                # int64
DIR_LAYOUT = 64                     # int64, offset of the layout text block
DIR_KIND = 72                       # int32
DIR_LENGTH = 76                     # int32
DIR_GENERATION = 80                 # int64
DIR_NAME = 88                       # char[128]
DIR_NAME_BYTES = 128
DIR_TYPE = 216                      # char[256]
DIR_TYPE_BYTES = 256
DIR_ENTRY_SIZE = 472
MAX_LAYOUT_BYTES = 1 << 24          # a stored layout text is read from at most its block's first 16 MiB
FNV_OFFSET = 0xcbf29ce484222325
FNV_PRIME = 0x100000001b3


def name_hash(name_bytes):
    """FNV-1a, 64 bits, of a name's UTF-8 bytes: the hash of the name index."""
    h = FNV_OFFSET
    for b in name_bytes:
        h = ((h ^ b) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h

# -- Lock cell --
LOCK_CELL_SIZE = 32
LOCK_OWNER = 0                      # int64, lock_free_word(generation) = free, else pid << 32 | handoff << 31 | tid
LOCK_FREE_TAG = -(1 << 63)          # owner bit 63 (as a signed int64): free, the block's generation in the other bits
LOCK_EXTRA_HOLDS = 8                # int32, owner-private re-entry count
LOCK_WAITERS = 12                   # int32, generation << 16 | count
LOCK_WAKEUPS = 16                   # int32, the futex word
LOCK_RECOVERIES = 20                # int32
LOCK_OWNER_START = 24               # int64, /proc/PID/stat field 22 of the owner
LOCK_SPINS = 64
LOCK_OWNER_CHECK_NS = 20_000_000
LOCK_REUSED_PID_GRACE_NS = 1_000_000_000
LOCK_MAX_SLEEP_NS = 1_000_000       # the longest sleep of a waiter (releases do not fence)
LOCK_HANDOFF = 0x80000000           # owner bit 31: a long waiter asks for a hand-off
LOCK_RESERVED = 0x80000000          # owner word of a lock released for a long waiter
LOCK_THREAD_MASK = 0x7FFFFFFF       # the thread part of an owner token
LOCK_STARVING_NS = 20_000_000       # a waiter this old is a long waiter
LOCK_ABANDONED_RESERVATION_NS = 100_000_000  # a reservation nobody took this long is free for all
LOCK_COUNT_MASK = 0xFFFF            # waiters: the count; the high half is its generation
LOCK_STALE_WAKE_UP_NS = 50_000_000  # an unanswered wake-up this old: registered waiters are gone
LOCK_MAX_PID = 1 << 22              # Linux hands out no larger pid; a larger one is corrupt


def lock_free_word(generation):
    """The owner word (a signed int64) of a free lock whose cell starts the payload of the block of
    this generation: LOCK_FREE_TAG | generation; 0 for the region header's lock (generation 0).
    No token has bit 63, and freed memory or a new object in the block never holds this word."""
    return LOCK_FREE_TAG | generation if generation else 0

# -- Primitive arrays and values: typecode -> (ctypes type name, size) --
TYPECODES = {
    "c": ("c_char", 1), "b": ("c_int8", 1), "B": ("c_uint8", 1), "h": ("c_int16", 1 * 2),
    "H": ("c_uint16", 2), "i": ("c_int32", 4), "I": ("c_uint32", 4), "l": ("c_int64", 8),
    "L": ("c_uint64", 8), "q": ("c_int64", 8), "Q": ("c_uint64", 8), "f": ("c_float", 4),
    "d": ("c_double", 8), "u": ("c_int32", 4), "?": ("c_bool", 1),
}

# -- Stored layout text: the Java carrier names it uses, as ctypes types --
LAYOUT_TYPES = {
    "boolean": "c_bool", "byte": "c_int8", "short": "c_int16", "char": "c_uint16",
    "int": "c_int32", "long": "c_int64", "float": "c_float", "double": "c_double",
}


def starts_bytes(size):
    """Payload bytes of the block-start map of a region of size bytes: a bit per 16 bytes of data, in whole words."""
    bits = (size - DATA_START) // BLOCK_ALIGNMENT
    return (bits + 63) // 64 * 8


def index_buckets(size):
    """The buckets of the name index of a region of size bytes (section 4.2): the largest power of
    two not above size / 1024, at least 16 and at most 2**22. The header's count must be this one."""
    buckets = 16
    while buckets < 1 << 22 and buckets * 2 <= size // 1024:
        buckets *= 2
    return buckets


def start_bit(block):
    """Where the block-start map keeps the bit of the block at offset block: (the offset of its
    word in the region, the bit's mask in that word)."""
    bit = (block - DATA_START) // BLOCK_ALIGNMENT
    return DATA_START + BLOCK_HEADER + (bit >> 6) * 8, 1 << (bit & 63)
