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
 * refused when it asks with a type of another layout. Callers hold the region lock.
 * <pre>
 * struct directory_entry {
 *     int64_t next;          // next entry; 0 = last
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
 */
public final class Directory {
    static final int MAX_NAME_BYTES = 127;
    private static final int TYPE_BYTES = 256;

    static final StructLayout ENTRY = MemoryLayout.structLayout(
            JAVA_LONG.withName("next"),
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
        byte[] bytes = StructSupport.strictUtf8(name, "name \"" + name.replace("\0", "\\0") + "\"");
        if (bytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("name \"" + name + "\" is " + bytes.length + " bytes of UTF-8; names hold at most "
                    + MAX_NAME_BYTES);
        }
        return bytes;
    }

    public Optional<Entry> find(String name) {
        byte[] wanted = checkName(name);
        int visited = 0;
        for (long entry = header.directory(); entry != 0; entry = region.get(JAVA_LONG, entry + NEXT)) {
            checkEntry(entry, ++visited);
            if (nameMatches(entry, wanted)) {
                return Optional.of(read(entry));
            }
        }
        return Optional.empty();
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
        // Linked in last: a reader never sees a half-written entry. The link is the add's commit
        // point: a repair rolls an add back only while its entry is not linked (IntentLog).
        region.set(JAVA_LONG, entry + NEXT, header.directory());
        CrashPoints.reached("name.beforeLink");
        header.directory(entry);
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

    /** Unlinks the entry {@code entry} if it is linked; frees nothing (a repair marks its blocks free). */
    void unlinkIfPresent(long entry) {
        long previous = 0;
        int visited = 0;
        for (long at = header.directory(); at != 0; at = region.get(JAVA_LONG, at + NEXT)) {
            checkEntry(at, ++visited);
            if (at == entry) {
                unlink(previous, at);
                return;
            }
            previous = at;
        }
    }

    private void unlink(long previous, long entry) {
        long next = region.get(JAVA_LONG, entry + NEXT);
        if (previous == 0) {
            header.directory(next);
        } else {
            region.set(JAVA_LONG, previous + NEXT, next);
        }
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
        long previous = 0;
        int visited = 0;
        for (long entry = header.directory(); entry != 0; entry = region.get(JAVA_LONG, entry + NEXT)) {
            checkEntry(entry, ++visited);
            if (region.get(JAVA_LONG, entry + BLOCK) == block) {
                long layout = region.get(JAVA_LONG, entry + LAYOUT);
                intent.beginRemove(entry, layout, block);
                unlink(previous, entry);
                CrashPoints.reached("name.unlinked");
                allocator.free(layout);
                allocator.free(entry);
                return;
            }
            previous = entry;
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
        long layout = region.get(JAVA_LONG, entry + LAYOUT);
        if (allocator.kindAt(layout) != Allocator.Kind.TEXT) {
            throw new InvalidRegionException("the directory of " + regionName + " is corrupt at offset " + entry);
        }
        // The entry and its block are written under one hold of the region lock: their generations always agree.
        allocator.kindAt(placement.block(), placement.generation());
        return new Entry(entry, text(entry + NAME, MAX_NAME_BYTES + 1), placement, identity,
                text(layout, (int) allocator.payloadSize(layout)));
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
        if (allocator.kindAt(entry) != Allocator.Kind.DIRECTORY_ENTRY || visited > region.byteSize() / ENTRY.byteSize()) {
            throw new InvalidRegionException("the directory of " + regionName + " is corrupt at offset " + entry);
        }
    }
}
