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
 *
 * <p><b>Crash consistency.</b> The blocks tile {@code [DATA_START, top)} exactly, and every
 * update is ordered so that the tiling is valid after any store: a block is claimed by writing
 * its own header last (a split writes the remainder's header first, inside the free block, where
 * the tiling does not see it yet); a block from the top gets its header before {@code top} is
 * raised over it; a free marks the block FREE first. The tiling and each block's state are the
 * truth; the free list, {@code free_bytes} and the merging of neighbours are derived, and a
 * process that takes the region lock over from a dead owner rebuilds them ({@link #rebuild}).
 *
 * <p><b>Bounded walks.</b> The free list is kept in strictly increasing address order, so a walk
 * that checks each link is above the previous one and below {@code top} ends; a cycle or an
 * out-of-range link is an {@link InvalidRegionException} naming the region.
 */
final class Allocator {
    static final long HEADER = 16;
    static final long ALIGNMENT = 16;
    private static final long MIN_BLOCK = 32;
    private static final short ALLOCATED = 0x5A11;
    private static final short FREE = 0x5F4E;

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
    private final IntentLog intent;
    private final String name;

    Allocator(MemorySegment region, RegionHeader header, IntentLog intent, String name) {
        this.region = region;
        this.header = header;
        this.intent = intent;
        this.name = name;
    }

    /** A zeroed payload of at least {@code bytes}, 16-byte aligned; returns its offset. */
    long allocate(long bytes, short kind) {
        long need = blockSize(bytes);
        long previous = 0;
        long largest = 0;
        for (long block = header.freeList(); block != 0; block = nextFree(block)) {
            checkFreeLink(previous, block);
            long size = checkBlock(block, FREE);
            if (size >= need) {
                intent.allocating(block + HEADER);
                long next = nextFree(block);
                if (size - need >= MIN_BLOCK) {
                    // The remainder's header lies inside this free block: the tiling sees it only
                    // once the block's own header is rewritten with the smaller size, in claim().
                    long rest = block + need;
                    writeHeader(rest, size - need, FREE, (short) 0, 0);
                    setNextFree(rest, next);
                    next = rest;
                } else {
                    need = size;
                }
                CrashPoints.reached("allocate.split");
                link(previous, next);
                header.freeBytes(header.freeBytes() - need);
                CrashPoints.reached("allocate.unlinked");
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
        intent.allocating(top + HEADER);
        // Header first, top second: until top covers it, the block is not part of the tiling.
        writeHeader(top, need, ALLOCATED, kind, header.nextGeneration());
        CrashPoints.reached("allocate.beforeTop");
        header.top(top + need);
        region.asSlice(top + HEADER, need - HEADER).fill((byte) 0);
        return top + HEADER;
    }

    /** Frees the block whose payload is at {@code payload}, merging it with free neighbours. */
    void free(long payload) {
        long block = payload - HEADER;
        long size = checkBlock(block, ALLOCATED);
        // The commit point: from here on the block is free, whatever else a kill leaves undone.
        setState(block, FREE);
        CrashPoints.reached("free.marked");
        header.freeBytes(header.freeBytes() + size);
        long beforePrevious = 0;
        long previous = 0;
        long next = header.freeList();
        while (next != 0 && next < block) {
            checkFreeLink(previous, next);
            beforePrevious = previous;
            previous = next;
            next = nextFree(next);
        }
        checkFreeLink(previous, next);
        if (next != 0 && block + size == next) {
            size += checkBlock(next, FREE);
            next = nextFree(next);
            checkFreeLink(block, next);
        }
        if (previous != 0 && previous + sizeOf(previous) == block) {
            block = previous;
            size += sizeOf(previous);
            previous = beforePrevious;
        }
        CrashPoints.reached("free.merging");
        if (next == 0 && block + size == header.top()) {
            // The free space ends at the top: give it back to the unallocated tail.
            header.top(block);
            CrashPoints.reached("free.loweredTop");
            header.freeBytes(header.freeBytes() - size);
            link(previous, 0);
            return;
        }
        writeHeader(block, size, FREE, (short) 0, generation(block));
        setNextFree(block, next);
        link(previous, block);
    }

    /**
     * Rebuilds the free list, {@code free_bytes} and {@code top} from the block tiling, which is
     * valid after a kill at any point (see the class comment): adjacent free blocks are merged, a
     * free run at the end is given back to the top. Called under the region lock by the process
     * that took it over from a dead owner; a kill during the rebuild leaves a tiling the next
     * rebuild reads the same way.
     *
     * @throws InvalidRegionException if the tiling itself is broken: that is corruption, not a crash
     */
    void rebuild() {
        long top = header.top();
        checkTop(top);
        long previousFree = 0;
        long freeBytes = 0;
        long runStart = 0;
        long runSize = 0;
        long block = RegionHeader.DATA_START;
        for (long steps = 0; block < top; steps++) {
            long size = tiledBlock(block, top, steps);
            if (state(block) == FREE) {
                if (runStart == 0) {
                    runStart = block;
                    runSize = 0;
                }
                runSize += size;
            } else if (runStart != 0) {
                previousFree = linkRun(previousFree, runStart, runSize);
                freeBytes += runSize;
                runStart = 0;
            }
            block += size;
        }
        if (runStart != 0) {
            // A free run at the end goes back to the top; it is beyond the tiling once top is lowered.
            header.top(runStart);
        }
        link(previousFree, 0);
        header.freeBytes(freeBytes);
    }

    private long linkRun(long previousFree, long start, long size) {
        writeHeader(start, size, FREE, (short) 0, generation(start));
        link(previousFree, start);
        return start;
    }

    /**
     * Marks the block whose payload is {@code payload} free if it is an allocated block of the
     * tiling now (not a made-up offset, not a block already freed or merged); for the repair of a
     * dead process's intent, followed by {@link #rebuild}.
     */
    void markFreeIfAllocated(long payload) {
        long wanted = payload - HEADER;
        long top = header.top();
        checkTop(top);
        long block = RegionHeader.DATA_START;
        for (long steps = 0; block < top && block <= wanted; steps++) {
            long size = tiledBlock(block, top, steps);
            if (block == wanted) {
                if (state(block) == ALLOCATED) {
                    setState(block, FREE);
                }
                return;
            }
            block += size;
        }
    }

    /** Calls {@code visitor} with each block of the tiling, in address order; bounded and checked. */
    void forEachBlock(BlockVisitor visitor) {
        long top = header.top();
        checkTop(top);
        long block = RegionHeader.DATA_START;
        for (long steps = 0; block < top; steps++) {
            long size = tiledBlock(block, top, steps);
            visitor.visit(block + HEADER, size, state(block) == FREE, region.get(JAVA_SHORT, block + 10));
            block += size;
        }
    }

    /** One block of the tiling, as {@link #forEachBlock} reports it. */
    @FunctionalInterface
    interface BlockVisitor {
        void visit(long payload, long size, boolean free, short kind);
    }

    /** The free blocks in list order, checked as {@link #allocate} checks them; for verify. */
    java.util.List<long[]> freeListBlocks() {
        java.util.List<long[]> blocks = new java.util.ArrayList<>();
        long previous = 0;
        for (long block = header.freeList(); block != 0; block = nextFree(block)) {
            checkFreeLink(previous, block);
            blocks.add(new long[] {block + HEADER, checkBlock(block, FREE)});
            previous = block;
        }
        return blocks;
    }

    private void checkTop(long top) {
        if (top < RegionHeader.DATA_START || top > region.byteSize() || top % ALIGNMENT != 0) {
            throw new InvalidRegionException(name + " is corrupt: its top " + top + " is outside the region ("
                    + RegionHeader.DATA_START + " to " + region.byteSize() + ")");
        }
    }

    /** The size of the block at {@code block} of the tiling up to {@code top}, after checking its header. */
    private long tiledBlock(long block, long top, long steps) {
        long size = sizeOf(block);
        short state = state(block);
        if (size < MIN_BLOCK || size % ALIGNMENT != 0 || size > top - block || (state != ALLOCATED && state != FREE)
                || steps > (top - RegionHeader.DATA_START) / MIN_BLOCK) {
            throw new InvalidRegionException(name + " is corrupt: the block at offset " + block + " has size " + size
                    + " and state 0x" + Integer.toHexString(state & 0xFFFF) + ", which do not tile the region up to its top " + top);
        }
        return size;
    }

    /**
     * A link of the free list is checked before it is followed: above the previous block (the
     * list is address-ordered, so this also rules out cycles) and inside the allocated area.
     */
    private void checkFreeLink(long previous, long next) {
        if (next != 0 && (next <= previous || next < RegionHeader.DATA_START || next % ALIGNMENT != 0
                || next > header.top() - MIN_BLOCK)) {
            throw new InvalidRegionException(name + " is corrupt: its free list links " + (previous == 0 ? "the header" : "block " + previous)
                    + " to " + next + ", which is " + (next <= previous ? "not above it (a cycle or disorder)" : "outside the allocated area"));
        }
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

    // ---- block headers: every read and write of a block header is below ----

    private short state(long block) {
        return region.get(JAVA_SHORT, block + 8);
    }

    private void setState(long block, short state) {
        region.set(JAVA_SHORT, block + 8, state);
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
    // A forged size is bounded by the top here; verify() finds one that skips a live neighbour.
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
