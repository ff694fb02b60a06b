package dev.sharedstruct.internal.region;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.sharedstruct.Identity;
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.Placement;
import dev.sharedstruct.internal.StructSupport;

/**
 * Named objects in a region (Boost.Interprocess's {@code find_or_construct}): a linked list of
 * entries, each recording what the object is, so that another process finds it by name and is
 * refused when it asks with a type of another layout; and a hash index over the same entries, so
 * that finding, adding and removing a name cost the same at 100 names as at 100,000. Callers
 * hold the region lock.
 * <pre>
 * struct directory_entry {
 *     int64_t next;          // next (older) entry; 0 = last
 *     int64_t prev;          // previous (newer) entry; 0 = first
 *     int64_t hash_next;     // next entry in the same index bucket; 0 = last
 *     int64_t hash;          // FNV-1a 64 of the name's UTF-8 bytes
 *     int64_t block;         // payload offset of the object's block
 *     int64_t object;        // the object itself (after its lock cell, if it owns one)
 *     int64_t lock;          // its lock cell; 0 = raw
 *     int64_t fingerprint;   // layout fingerprint (the typecode for primitive arrays and values)
 *     int64_t layout;        // offset of a text block describing the layout field by field
 *     int32_t kind;          // struct, struct array, primitive array, value
 *     int32_t length;        // elements of an array
 *     int64_t generation;    // of the object's block
 *     char    name[128];     // UTF-8, NUL-padded
 *     char    type[256];     // the interface's binary name, or the typecode
 * };
 * </pre>
 * The index is one INDEX block made with the region: {@code index_buckets} (a power of two, about
 * one per KiB of region) bucket heads, each the newest entry whose {@code hash & (buckets - 1)} is
 * that bucket, chained through {@code hash_next}. Its size is fixed, so it never has to be moved:
 * a region full of names (each takes more than 600 bytes) loads its buckets less than 2 deep.
 *
 * <p><b>Crash consistency.</b> The {@code next} chain from the header's {@code directory} is the
 * truth, and linking an entry into it (one store into the header) is an add's commit point, as
 * unlinking it (one store) is a removal's; both are recorded in the {@link IntentLog} first. The
 * {@code prev} links, the index (hashes, chains, bucket heads), {@code index_entries} and the
 * {@code entry} word in each named object's block header are derived: a process that takes the
 * region lock over from a dead owner rebuilds them from the chain ({@link #rebuildIndex}).
 *
 * <p><b>Bounded.</b> Every walk (the chain, a bucket) counts its steps against the number of
 * entries the region could hold, and every entry offset is checked to be a directory entry block
 * before it is read.
 */
public final class Directory {
    static final int MAX_NAME_BYTES = 127;
    /**
     * The most bytes a layout text is read from (its NUL included): far more than any generated
     * layout needs, and what keeps a forged text block of gigabytes from being scanned and copied.
     */
    static final int MAX_LAYOUT_BYTES = 1 << 24;
    private static final int TYPE_BYTES = 256;

    static final StructLayout ENTRY = MemoryLayout.structLayout(
            JAVA_LONG.withName("next"),
            JAVA_LONG.withName("prev"),
            JAVA_LONG.withName("hash_next"),
            JAVA_LONG.withName("hash"),
            JAVA_LONG.withName("block"),
            JAVA_LONG.withName("object"),
            JAVA_LONG.withName("lock"),
            JAVA_LONG.withName("fingerprint"),
            JAVA_LONG.withName("layout"),
            JAVA_INT.withName("kind"),
            JAVA_INT.withName("length"),
            JAVA_LONG.withName("generation"),
            MemoryLayout.sequenceLayout(MAX_NAME_BYTES + 1, JAVA_BYTE).withName("name"),
            MemoryLayout.sequenceLayout(TYPE_BYTES, JAVA_BYTE).withName("type"));

    private static final long NEXT = ENTRY.byteOffset(groupElement("next"));
    private static final long PREV = ENTRY.byteOffset(groupElement("prev"));
    private static final long HASH_NEXT = ENTRY.byteOffset(groupElement("hash_next"));
    private static final long HASH = ENTRY.byteOffset(groupElement("hash"));
    /** Region bytes per index bucket. */
    static final long BYTES_PER_BUCKET = 1024;
    static final long MIN_BUCKETS = 16;
    static final long MAX_BUCKETS = 1L << 22;
    private static final long BLOCK = ENTRY.byteOffset(groupElement("block"));
    private static final long OBJECT = ENTRY.byteOffset(groupElement("object"));
    private static final long LOCK = ENTRY.byteOffset(groupElement("lock"));
    private static final long FINGERPRINT = ENTRY.byteOffset(groupElement("fingerprint"));
    private static final long LAYOUT = ENTRY.byteOffset(groupElement("layout"));
    private static final long KIND = ENTRY.byteOffset(groupElement("kind"));
    private static final long LENGTH = ENTRY.byteOffset(groupElement("length"));
    private static final long GENERATION = ENTRY.byteOffset(groupElement("generation"));
    private static final long NAME = ENTRY.byteOffset(groupElement("name"));
    private static final long TYPE = ENTRY.byteOffset(groupElement("type"));

    /** One entry, read out of the region. */
    public record Entry(long offset, String name, Placement placement, Identity identity, String layout) {
    }

    private final MemorySegment region;
    private final RegionHeader header;
    private final Allocator allocator;
    private final IntentLog intent;
    private final String regionName;

    public Directory(MemorySegment region, RegionHeader header, Allocator allocator, IntentLog intent, String regionName) {
        this.region = region;
        this.header = header;
        this.allocator = allocator;
        this.intent = intent;
        this.regionName = regionName;
    }

    /** Refuses a name that the directory cannot hold; returns its UTF-8. */
    public static byte[] checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a name must not be " + (name == null ? "null" : "empty"));
        }
        String shown = StructSupport.abbreviate(name, 2 * MAX_NAME_BYTES).replace("\0", "\\0");
        byte[] bytes = StructSupport.strictUtf8(name, "name \"" + shown + "\"");
        if (bytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("name \"" + shown + "\" is " + bytes.length + " bytes of UTF-8; names hold at most "
                    + MAX_NAME_BYTES);
        }
        return bytes;
    }

    /** FNV-1a, 64 bits, of a name's UTF-8 bytes: what the index hashes (peers compute the same). */
    static long hash(byte[] name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name) {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** How many index buckets a region of {@code size} bytes gets: a power of two. */
    static long bucketsFor(long size) {
        return Math.min(MAX_BUCKETS, Math.max(MIN_BUCKETS, Long.highestOneBit(size / BYTES_PER_BUCKET)));
    }

    /** Makes the empty index of a new region; called by its creator before the region is published. */
    public void createIndex() {
        long buckets = bucketsFor(region.byteSize());
        long index = allocator.allocate(buckets * 8, Allocator.Kind.INDEX);
        header.index(index, buckets);
    }

    public Optional<Entry> find(String name) {
        byte[] wanted = checkName(name);
        long hash = hash(wanted);
        int visited = 0;
        for (long entry = bucketHead(hash); entry != 0; entry = region.get(JAVA_LONG, entry + HASH_NEXT)) {
            checkEntry(entry, ++visited);
            if (region.get(JAVA_LONG, entry + HASH) == hash && nameMatches(entry, wanted)) {
                return Optional.of(read(entry));
            }
        }
        return Optional.empty();
    }

    /** The offset of the index's bucket for {@code hash}, after checking the index is the block the header says. */
    private long bucket(long hash) {
        return checkedIndex().bucket(hash);
    }

    /**
     * The name index: its payload and its bucket count, read once and checked. Whoever walks the
     * buckets uses these, never a second read of the header, which another process may rewrite
     * in between. The count must be the one the region's size fixes ({@link #bucketsFor}), not
     * merely one the index block holds: the block's size word is read by its own check, and a
     * writer switching it between that read and the walks' had a rebuild with a forged larger
     * count clear the live blocks after the index (a smaller one hid every name from lookups).
     */
    private NameIndex checkedIndex() {
        long index = header.index();
        long buckets = header.indexBuckets();
        long expected = bucketsFor(region.byteSize());
        if (buckets != expected || allocator.kindAt(index) != Allocator.Kind.INDEX || allocator.payloadSize(index) / 8 < buckets) {
            throw new InvalidRegionException("the name index of " + regionName + " is corrupt: the header names " + buckets
                    + " buckets at offset " + index + " (a region of " + region.byteSize() + " bytes has " + expected + ")");
        }
        return new NameIndex(index, buckets);
    }

    /** A checked name index (see {@link #checkedIndex()}). */
    private record NameIndex(long offset, long buckets) {
        long bucket(long hash) {
            return offset + 8 * (hash & (buckets - 1));
        }
    }

    private long bucketHead(long hash) {
        return region.get(JAVA_LONG, bucket(hash));
    }

    /** Every entry, newest first; for tools, which read without the region lock (see RegionInspector). */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        int visited = 0;
        for (long entry = header.directory(); entry != 0; entry = region.get(JAVA_LONG, entry + NEXT)) {
            checkEntry(entry, ++visited);
            entries.add(read(entry));
        }
        return entries;
    }

    /** Records a new object under {@code name}, which must not be taken. */
    public void add(String name, Placement placement, Identity identity, String layout) {
        byte[] nameBytes = checkName(name);
        byte[] typeBytes = identity.typeName().getBytes(StandardCharsets.UTF_8);
        if (typeBytes.length >= TYPE_BYTES) {
            throw new IllegalArgumentException("type name " + identity.typeName() + " is longer than " + (TYPE_BYTES - 1) + " bytes");
        }
        byte[] layoutBytes = layout.getBytes(StandardCharsets.UTF_8);
        if (layoutBytes.length >= MAX_LAYOUT_BYTES) {
            throw new IllegalArgumentException("the layout text of " + identity.typeName() + " has " + layoutBytes.length
                    + " bytes; a region stores at most " + (MAX_LAYOUT_BYTES - 1));
        }
        long hash = hash(nameBytes);
        long bucket = bucket(hash);
        // The head the new entry is linked before, and whose prev is then written: a word of the
        // header, checked before anything is allocated, and used as checked.
        long first = header.directory();
        if (first != 0) {
            checkEntry(first, 1);
        }
        long text = allocator.allocate(layoutBytes.length + 1, Allocator.Kind.TEXT);
        MemorySegment.copy(layoutBytes, 0, region, JAVA_BYTE, text, layoutBytes.length);
        CrashPoints.reached("name.textWritten");
        long entry = allocator.allocate(ENTRY.byteSize(), Allocator.Kind.DIRECTORY_ENTRY);
        region.set(JAVA_LONG, entry + BLOCK, placement.block());
        region.set(JAVA_LONG, entry + OBJECT, placement.object());
        region.set(JAVA_LONG, entry + LOCK, placement.lock());
        region.set(JAVA_LONG, entry + FINGERPRINT, identity.fingerprint());
        region.set(JAVA_LONG, entry + LAYOUT, text);
        region.set(JAVA_INT, entry + KIND, identity.kind());
        region.set(JAVA_INT, entry + LENGTH, identity.length());
        region.set(JAVA_LONG, entry + GENERATION, placement.generation());
        MemorySegment.copy(nameBytes, 0, region, JAVA_BYTE, entry + NAME, nameBytes.length);
        MemorySegment.copy(typeBytes, 0, region, JAVA_BYTE, entry + TYPE, typeBytes.length);
        region.set(JAVA_LONG, entry + HASH, hash);
        // Linked in last: a reader never sees a half-written entry. The link is the add's commit
        // point: a repair rolls an add back only while its entry is not linked (IntentLog).
        region.set(JAVA_LONG, entry + NEXT, first);
        CrashPoints.reached("name.beforeLink");
        header.directory(entry);
        intent.linked();
        CrashPoints.reached("name.linked");
        if (first != 0) {
            region.set(JAVA_LONG, first + PREV, entry);
        }
        region.set(JAVA_LONG, entry + HASH_NEXT, region.get(JAVA_LONG, bucket));
        region.set(JAVA_LONG, bucket, entry);
        header.indexEntries(header.indexEntries() + 1);
        allocator.entryOf(placement.block(), entry);
    }

    /** Whether the entry whose payload is {@code entry} is linked into the directory. */
    boolean contains(long entry) {
        int visited = 0;
        for (long at = header.directory(); at != 0; at = region.get(JAVA_LONG, at + NEXT)) {
            checkEntry(at, ++visited);
            if (at == entry) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every offset that a linked entry makes live: the entries themselves, the blocks they name
     * and their layout texts. A repair never frees one of these, whatever the intent record says.
     */
    java.util.Set<Long> namedOffsets() {
        java.util.Set<Long> named = new java.util.HashSet<>();
        int visited = 0;
        for (long at = header.directory(); at != 0; at = region.get(JAVA_LONG, at + NEXT)) {
            checkEntry(at, ++visited);
            named.add(at);
            named.add(region.get(JAVA_LONG, at + BLOCK));
            named.add(region.get(JAVA_LONG, at + LAYOUT));
        }
        return named;
    }

    /**
     * Whether {@code entry} is an allocated directory entry that names a block other than
     * {@code block} or a layout text other than {@code text}: then an intent record pairing them
     * is not to be believed. False when the entry block is gone (nothing left to compare).
     */
    boolean namesOtherThan(long entry, long text, long block) {
        if (!isEntry(entry)) {
            return false;
        }
        return allocator.payloadSize(entry) < ENTRY.byteSize()
                || region.get(JAVA_LONG, entry + BLOCK) != block || region.get(JAVA_LONG, entry + LAYOUT) != text;
    }

    /** Unlinks the entry {@code entry} if it is linked; frees nothing (a repair marks its blocks free). */
    void unlinkIfPresent(long entry) {
        long previous = 0;
        int visited = 0;
        for (long at = header.directory(); at != 0; at = region.get(JAVA_LONG, at + NEXT)) {
            checkEntry(at, ++visited);
            if (at == entry) {
                long next = region.get(JAVA_LONG, at + NEXT);
                if (next != 0) {
                    checkEntry(next, 1);
                }
                unlink(previous, next);
                return;
            }
            previous = at;
        }
    }

    /** Links {@code previous} (0: the header) to {@code next}, which the caller read and checked: the entry between them leaves the chain. */
    private void unlink(long previous, long next) {
        if (previous == 0) {
            header.directory(next);
        } else {
            region.set(JAVA_LONG, previous + NEXT, next);
        }
    }

    /**
     * Rebuilds what is derived from the entry chain (see the class comment): the {@code prev}
     * links, each entry's hash, the index's chains and bucket heads, {@code index_entries}, and
     * the {@code entry} word of each named object's block. Called by the repair after a dead
     * owner, after {@link Allocator#rebuild} (which cleared the entry words); O(names).
     */
    void rebuildIndex() {
        NameIndex index = checkedIndex();
        region.asSlice(index.offset(), index.buckets() * 8).fill((byte) 0);
        long previous = 0;
        int visited = 0;
        for (long entry = header.directory(); entry != 0; entry = region.get(JAVA_LONG, entry + NEXT)) {
            checkEntry(entry, ++visited);
            region.set(JAVA_LONG, entry + PREV, previous);
            long hash = hash(nameBytes(entry));
            region.set(JAVA_LONG, entry + HASH, hash);
            long bucket = index.bucket(hash);
            region.set(JAVA_LONG, entry + HASH_NEXT, region.get(JAVA_LONG, bucket));
            region.set(JAVA_LONG, bucket, entry);
            long block = region.get(JAVA_LONG, entry + BLOCK);
            allocator.kindAt(block, region.get(JAVA_LONG, entry + GENERATION));
            allocator.entryOf(block, entry);
            previous = entry;
        }
        header.indexEntries(visited);
    }

    /**
     * Checks the index against the chain, for verify: each entry is in the bucket its name hashes
     * to, once, with its stored hash right; the {@code prev} links mirror {@code next}; the count
     * matches; each named block records its entry. Adds what is wrong to {@code problems}.
     */
    void checkIndex(java.util.Collection<String> problems) {
        java.util.Set<Long> chained = new java.util.HashSet<>();
        long previous = 0;
        int visited = 0;
        for (long entry = header.directory(); entry != 0; entry = region.get(JAVA_LONG, entry + NEXT)) {
            checkEntry(entry, ++visited);
            chained.add(entry);
            String name = text(entry + NAME, MAX_NAME_BYTES + 1);
            if (region.get(JAVA_LONG, entry + PREV) != previous) {
                problems.add("the directory entry of \"" + name + "\" links back to " + region.get(JAVA_LONG, entry + PREV)
                        + ", not to the entry before it (" + previous + ")");
            }
            long hash = hash(nameBytes(entry));
            if (region.get(JAVA_LONG, entry + HASH) != hash) {
                problems.add("the directory entry of \"" + name + "\" records hash " + region.get(JAVA_LONG, entry + HASH)
                        + ", its name hashes to " + hash);
            }
            long block = region.get(JAVA_LONG, entry + BLOCK);
            if (!allocator.isLive(block, region.get(JAVA_LONG, entry + GENERATION))) {
                problems.add("the directory entry of \"" + name + "\" names no live block at " + block);
            } else if (allocator.entryOf(block) != entry) {
                problems.add("the block of \"" + name + "\" records entry " + allocator.entryOf(block) + ", not " + entry);
            }
            previous = entry;
        }
        if (header.indexEntries() != visited) {
            problems.add("the header counts " + header.indexEntries() + " names, the directory holds " + visited);
        }
        NameIndex index = checkedIndex();
        long buckets = index.buckets();
        java.util.Set<Long> indexed = new java.util.HashSet<>();
        for (long b = 0; b < buckets; b++) {
            int steps = 0;
            for (long entry = region.get(JAVA_LONG, index.offset() + 8 * b); entry != 0; entry = region.get(JAVA_LONG, entry + HASH_NEXT)) {
                checkEntry(entry, ++steps);
                if (!chained.contains(entry)) {
                    problems.add("index bucket " + b + " names " + entry + ", which is not in the directory");
                    break;
                }
                if (!indexed.add(entry)) {
                    problems.add("the directory entry at " + entry + " is in the index twice (or a bucket has a cycle)");
                    break;
                }
                if ((region.get(JAVA_LONG, entry + HASH) & (buckets - 1)) != b) {
                    problems.add("the directory entry at " + entry + " is in index bucket " + b + ", its hash says another");
                }
            }
        }
        for (long entry : chained) {
            if (!indexed.contains(entry)) {
                problems.add("the directory entry at " + entry + " (\"" + text(entry + NAME, MAX_NAME_BYTES + 1)
                        + "\") is missing from the name index: find would not see it");
            }
        }
    }

    private byte[] nameBytes(long entry) {
        int length = 0;
        while (length < MAX_NAME_BYTES && region.get(JAVA_BYTE, entry + NAME + length) != 0) {
            length++;
        }
        byte[] bytes = new byte[length];
        MemorySegment.copy(region, JAVA_BYTE, entry + NAME, bytes, 0, length);
        return bytes;
    }

    /** Each entry in list order, read and checked; for verify. Stops with an exception at a corrupt one. */
    void forEach(java.util.function.Consumer<Entry> action) {
        int visited = 0;
        for (long entry = header.directory(); entry != 0; entry = region.get(JAVA_LONG, entry + NEXT)) {
            checkEntry(entry, ++visited);
            action.accept(read(entry));
        }
    }

    /**
     * Removes the entry of the object whose block is {@code block}, if it has one. When it has,
     * the removal is recorded first (entry, layout text, the object's block) so that a kill
     * before the caller frees the object and calls {@link #finishRemoval} is rolled forward.
     */
    public void removeBlock(long block) {
        long entry = allocator.entryOf(block);
        if (entry == 0) {
            return;
        }
        checkEntry(entry, 1);
        long previous = region.get(JAVA_LONG, entry + PREV);
        long next = region.get(JAVA_LONG, entry + NEXT);
        if (region.get(JAVA_LONG, entry + BLOCK) != block
                || (previous == 0 ? header.directory() != entry : !isEntry(previous) || region.get(JAVA_LONG, previous + NEXT) != entry)
                || (next != 0 && (!isEntry(next) || region.get(JAVA_LONG, next + PREV) != entry))) {
            throw new InvalidRegionException("the directory of " + regionName + " is corrupt: the entry at " + entry
                    + " that block " + block + " records does not name it, or its links disagree with its neighbours'");
        }
        long hash = region.get(JAVA_LONG, entry + HASH);
        long bucket = bucket(hash);
        long layout = region.get(JAVA_LONG, entry + LAYOUT);
        if (allocator.kindAt(layout) != Allocator.Kind.TEXT) {
            // Freed below: a forged word naming any other block (the block-start map, another object)
            // would free that block while it is in use.
            throw new InvalidRegionException("the directory of " + regionName + " is corrupt: the entry at " + entry
                    + " names a layout text at " + layout + " that is not a text block; nothing was freed");
        }
        intent.beginRemove(entry, layout, block);
        unlink(previous, next);
        CrashPoints.reached("name.unlinked");
        if (next != 0) {
            region.set(JAVA_LONG, next + PREV, previous);
        }
        CrashPoints.reached("name.backLinked");
        unlinkFromBucket(bucket, entry);
        header.indexEntries(header.indexEntries() - 1);
        allocator.entryOf(block, 0);
        allocator.free(layout);
        allocator.free(entry);
    }

    private void unlinkFromBucket(long bucket, long entry) {
        long previous = 0;
        int visited = 0;
        for (long at = region.get(JAVA_LONG, bucket); at != 0; at = region.get(JAVA_LONG, at + HASH_NEXT)) {
            checkEntry(at, ++visited);
            if (at == entry) {
                long next = region.get(JAVA_LONG, at + HASH_NEXT);
                region.set(JAVA_LONG, previous == 0 ? bucket : previous + HASH_NEXT, next);
                return;
            }
            previous = at;
        }
        throw new InvalidRegionException("the name index of " + regionName + " is corrupt: the entry at " + entry
                + " is missing from its bucket");
    }

    private boolean isEntry(long entry) {
        try {
            return allocator.kindAt(entry) == Allocator.Kind.DIRECTORY_ENTRY;
        } catch (InvalidRegionException e) {
            return false;
        }
    }

    /** The object of a removal begun by {@link #removeBlock} has been freed too: the removal is complete. */
    public void finishRemoval() {
        intent.end();
    }

    private Entry read(long entry) {
        Placement placement = new Placement(region.get(JAVA_LONG, entry + BLOCK), region.get(JAVA_LONG, entry + OBJECT),
                region.get(JAVA_LONG, entry + LOCK), region.get(JAVA_LONG, entry + GENERATION));
        Identity identity = new Identity((short) region.get(JAVA_INT, entry + KIND), text(entry + TYPE, TYPE_BYTES),
                region.get(JAVA_LONG, entry + FINGERPRINT), region.get(JAVA_INT, entry + LENGTH));
        if (identity.kind() < Allocator.Kind.STRUCT || identity.kind() > Allocator.Kind.PRIMITIVE_VALUE) {
            // Only objects have names: a name of the entry block itself, a layout text or the index
            // would hand out a view whose writes land in the region's own metadata.
            throw new InvalidRegionException("the directory of " + regionName + " is corrupt: the name \""
                    + text(entry + NAME, MAX_NAME_BYTES + 1) + "\" names a block of kind " + identity.kind()
                    + ", which is not an object (kinds 2 to 5)");
        }
        long layout = region.get(JAVA_LONG, entry + LAYOUT);
        if (allocator.kindAt(layout) != Allocator.Kind.TEXT) {
            throw new InvalidRegionException("the directory of " + regionName + " is corrupt at offset " + entry);
        }
        // The entry and its block are written under one hold of the region lock: their generations always agree.
        allocator.kindAt(placement.block(), placement.generation());
        return new Entry(entry, text(entry + NAME, MAX_NAME_BYTES + 1), placement, identity,
                text(layout, (int) Math.min(allocator.payloadSize(layout), MAX_LAYOUT_BYTES)));
    }

    private String text(long offset, int max) {
        return StructSupport.readText(region, offset, max);
    }

    private boolean nameMatches(long entry, byte[] wanted) {
        for (int i = 0; i < wanted.length; i++) {
            if (region.get(JAVA_BYTE, entry + NAME + i) != wanted[i]) {
                return false;
            }
        }
        return region.get(JAVA_BYTE, entry + NAME + wanted.length) == 0;
    }

    /** Every entry offset comes from the file: check it is an entry block, and that the list ends. */
    private void checkEntry(long entry, int visited) {
        if (allocator.kindAt(entry) != Allocator.Kind.DIRECTORY_ENTRY || allocator.payloadSize(entry) < ENTRY.byteSize()
                || visited > region.byteSize() / ENTRY.byteSize()) {
            throw new InvalidRegionException("the directory of " + regionName + " is corrupt at offset " + entry);
        }
    }
}
