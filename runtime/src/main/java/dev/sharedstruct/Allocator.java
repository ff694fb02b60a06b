package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * Blocks in a region: a first-fit allocator with an address-ordered free list, shared by every
 * process that maps the region. Callers hold the region lock. Each block starts with a 16-byte
 * header, and its payload is 16-byte aligned:
 * <pre>
 * struct block_header {
 *     int64_t size;         // whole block, header included, a multiple of 16
 *     int16_t state;        // ALLOCATED or FREE
 *     int16_t kind;         // what the payload holds (Kind), for checking offsets from handles
 *     int32_t generation;   // changes on every allocation: a stale handle no longer matches
 * };                        // a free block's payload starts with the offset of the next free block
 * </pre>
 * Freed blocks merge with free neighbours and with the unallocated top, so a process that
 * allocates and frees in a loop does not run out.
 */
final class Allocator {
    static final long HEADER = 16;
    static final long ALIGNMENT = 16;
    static final long MIN_BLOCK = 32;
    static final short ALLOCATED = 0x5A11;
    static final short FREE = 0x5F4E;

    /** What a block holds. */
    static final class Kind {
        static final short LOCK = 1;
        static final short STRUCT = 2;
        static final short STRUCT_ARRAY = 3;
        static final short PRIMITIVE_ARRAY = 4;
        static final short PRIMITIVE_VALUE = 5;
        static final short DIRECTORY_ENTRY = 6;
        static final short TEXT = 7;
        /** Added to an object's kind when its payload starts with its own lock cell. */
        static final short OWN_LOCK = 0x100;

        private Kind() {
        }
    }

    private final MemorySegment region;
    private final RegionHeader header;
    private final String name;

    Allocator(MemorySegment region, RegionHeader header, String name) {
        this.region = region;
        this.header = header;
        this.name = name;
    }

    /** A zeroed payload of at least {@code bytes}, 16-byte aligned; returns its offset. */
    long allocate(long bytes, short kind) {
        long need = blockSize(bytes);
        long previous = 0;
        long largest = 0;
        for (long block = header.freeList(); block != 0; block = nextFree(block)) {
            long size = checkBlock(block, FREE);
            if (size >= need) {
                long next = nextFree(block);
                if (size - need >= MIN_BLOCK) {
                    long rest = block + need;
                    writeHeader(rest, size - need, FREE, (short) 0, 0);
                    setNextFree(rest, next);
                    next = rest;
                } else {
                    need = size;
                }
                link(previous, next);
                header.freeBytes(header.freeBytes() - need);
                return claim(block, need, kind);
            }
            largest = Math.max(largest, size - HEADER);
            previous = block;
        }
        long top = header.top();
        if (need > region.byteSize() - top) {
            long tail = Math.max(0, region.byteSize() - top - HEADER);
            throw new RegionFullException(name, bytes, header.freeBytes() + region.byteSize() - top, Math.max(largest, tail));
        }
        header.top(top + need);
        return claim(top, need, kind);
    }

    /** Frees the block whose payload is at {@code payload}, merging it with free neighbours. */
    void free(long payload) {
        long block = payload - HEADER;
        long size = checkBlock(block, ALLOCATED);
        region.set(JAVA_SHORT, block + 8, FREE);
        header.freeBytes(header.freeBytes() + size);
        long beforePrevious = 0;
        long previous = 0;
        long next = header.freeList();
        while (next != 0 && next < block) {
            beforePrevious = previous;
            previous = next;
            next = nextFree(next);
        }
        if (next != 0 && block + size == next) {
            size += sizeOf(next);
            next = nextFree(next);
        }
        if (previous != 0 && previous + sizeOf(previous) == block) {
            block = previous;
            size += sizeOf(previous);
            previous = beforePrevious;
        }
        if (next == 0 && block + size == header.top()) {
            // The free space ends at the top: give it back to the unallocated tail.
            header.top(block);
            header.freeBytes(header.freeBytes() - size);
            link(previous, 0);
            return;
        }
        writeHeader(block, size, FREE, (short) 0, generation(block));
        setNextFree(block, next);
        link(previous, block);
    }

    /**
     * The kind of the allocated block whose payload is at {@code payload}, after checking that it
     * is one (a stale or made-up offset is refused, never trusted).
     */
    short kindAt(long payload, int generation) {
        long block = payload - HEADER;
        if (generation != 0 && !isLive(payload, generation) && block >= RegionHeader.DATA_START
                && block % ALIGNMENT == 0 && payload < region.byteSize()) {
            throw new InvalidRegionException("the object at offset " + payload + " of " + name
                    + " was freed since it was named or handed over (or the offset is wrong)");
        }
        checkBlock(block, ALLOCATED);
        return region.get(JAVA_SHORT, block + 10);
    }

    /** Whether a block at {@code payload} is allocated now, with that generation. */
    boolean isLive(long payload, int generation) {
        long block = payload - HEADER;
        return block >= RegionHeader.DATA_START && block + MIN_BLOCK <= header.top() && block % ALIGNMENT == 0
                && region.get(JAVA_SHORT, block + 8) == ALLOCATED && generation(block) == generation;
    }

    /** The generation of the block whose payload is at {@code payload}. */
    int generationOf(long payload) {
        return generation(payload - HEADER);
    }

    private int generation(long block) {
        return region.get(JAVA_INT, block + 12);
    }

    /** Payload bytes of the allocated block at {@code payload}. */
    long payloadSize(long payload) {
        return sizeOf(payload - HEADER) - HEADER;
    }

    /** Bytes free: in free blocks and above the top. */
    long freeBytes() {
        return header.freeBytes() + region.byteSize() - header.top();
    }

    private long claim(long block, long size, short kind) {
        writeHeader(block, size, ALLOCATED, kind, header.nextGeneration());
        region.asSlice(block + HEADER, size - HEADER).fill((byte) 0);
        return block + HEADER;
    }

    private static long blockSize(long bytes) {
        if (bytes <= 0 || bytes > Long.MAX_VALUE - 2 * ALIGNMENT) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        return Math.max(MIN_BLOCK, (bytes + HEADER + ALIGNMENT - 1) & -ALIGNMENT);
    }

    private void link(long previous, long next) {
        if (previous == 0) {
            header.freeList(next);
        } else {
            setNextFree(previous, next);
        }
    }

    private void writeHeader(long block, long size, short state, short kind, int generation) {
        region.set(JAVA_LONG, block, size);
        region.set(JAVA_SHORT, block + 8, state);
        region.set(JAVA_SHORT, block + 10, kind);
        region.set(JAVA_INT, block + 12, generation);
    }

    private long sizeOf(long block) {
        return region.get(JAVA_LONG, block);
    }

    private long nextFree(long block) {
        return region.get(JAVA_LONG, block + HEADER);
    }

    private void setNextFree(long block, long next) {
        region.set(JAVA_LONG, block + HEADER, next);
    }

    /** The size of the block at {@code block}, after checking that it is a block in that state. */
    private long checkBlock(long block, short state) {
        if (block < RegionHeader.DATA_START || block % ALIGNMENT != 0 || block > header.top() - MIN_BLOCK) {
            throw new InvalidRegionException("offset " + (block + HEADER) + " is not an object of " + name
                    + " (allocated memory spans " + (RegionHeader.DATA_START + HEADER) + " to " + header.top() + ")");
        }
        long size = sizeOf(block);
        short actual = region.get(JAVA_SHORT, block + 8);
        if (size < MIN_BLOCK || size % ALIGNMENT != 0 || size > header.top() - block
                || (actual != ALLOCATED && actual != FREE)) {
            throw new InvalidRegionException("offset " + (block + HEADER) + " of " + name
                    + " is not the start of an object, or the region is corrupt");
        }
        if (actual != state) {
            throw new InvalidRegionException("the object at offset " + (block + HEADER) + " of " + name
                    + (actual == FREE ? " was freed" : " is in use, but the free list names it: the region is corrupt"));
        }
        return size;
    }
}
