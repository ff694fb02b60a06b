package dev.sharedstruct;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The header at offset 0 of every region file, so that another process (or a C or Python
 * program) can recognise the file and find what is in it:
 * <pre>
 * struct region_header {
 *     uint64_t magic;           // "SHSTRUCT" in the file's first 8 bytes
 *     int32_t  format_version;
 *     int32_t  ready;           // 1 once the creator has initialised the header
 *     int64_t  size;            // bytes in the region, header included
 *     int64_t  top;             // first offset never allocated (bump allocator)
 * };
 * </pre>
 * Objects start at {@link #DATA_START}; the bytes in between are reserved for later formats.
 */
final class RegionHeader {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("magic"),
            JAVA_INT.withName("format_version"),
            JAVA_INT.withName("ready"),
            JAVA_LONG.withName("size"),
            JAVA_LONG.withName("top"));

    /** "SHSTRUCT" read as a little-endian 64-bit integer. */
    static final long MAGIC = 0x5443555254534853L;
    static final int FORMAT_VERSION = 1;
    static final long DATA_START = 256;

    private static final VarHandle MAGIC_HANDLE = LAYOUT.varHandle(groupElement("magic"));
    private static final VarHandle VERSION = LAYOUT.varHandle(groupElement("format_version"));
    private static final VarHandle READY = LAYOUT.varHandle(groupElement("ready"));
    private static final VarHandle SIZE = LAYOUT.varHandle(groupElement("size"));
    private static final VarHandle TOP = LAYOUT.varHandle(groupElement("top"));

    private final MemorySegment header;

    RegionHeader(MemorySegment region) {
        this.header = region.asSlice(0, LAYOUT);
    }

    void initialize(long size) {
        MAGIC_HANDLE.set(header, 0L, MAGIC);
        VERSION.set(header, 0L, FORMAT_VERSION);
        SIZE.set(header, 0L, size);
        TOP.set(header, 0L, DATA_START);
        READY.setRelease(header, 0L, 1);
    }

    long top() {
        return (long) TOP.getVolatile(header, 0L);
    }

    boolean casTop(long expected, long next) {
        return TOP.compareAndSet(header, 0L, expected, next);
    }

    long size() {
        return (long) SIZE.get(header, 0L);
    }
}
