package dev.sharedstruct.internal.region;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionFullException;

/**
 * Blocks in a region: a first-fit allocator with an address-ordered free list, shared by every
 * process that maps the region. Callers hold the region lock. Each block starts with a
 * {@link BlockHeader} (48 bytes: size, state, and what the object is), and its payload is 16-byte
 * aligned. A free block's payload starts with the offset of the next free block.
 * Freed blocks merge with free neighbours and with the unallocated top, so a process that
 * allocates and frees in a loop does not run out.
 *
 * <p><b>Crash consistency.</b> The blocks tile {@code [DATA_START, top)} exactly, and every
 * update is ordered so that the tiling is valid after any store: a block is claimed by writing
 * its own header last (a split writes the remainder's header first, inside the free block, where
 * the tiling does not see it yet); a block from the top gets its header before {@code top} is
 * raised over it; a free marks the block FREE first. The tiling and each block's state are the
 * truth; the free list, {@code free_bytes}, the merging of neighbours and the lock use counts are
 * derived, and a process that takes the region lock over from a dead owner rebuilds them
 * ({@link #rebuild}).
 *
 * <p><b>Bounded walks.</b> The free list is kept in strictly increasing address order, so a walk
 * that checks each link is above the previous one and below {@code top} ends; a cycle or an
 * out-of-range link is an {@link InvalidRegionException} naming the region.
 */
public final class Allocator {
    public static final long HEADER = BlockHeader.BYTES;
    public static final long ALIGNMENT = 16;
    public static final long MIN_BLOCK = HEADER + 16;
    private static final short ALLOCATED = BlockHeader.ALLOCATED;
    private static final short FREE = BlockHeader.FREE;

    /** What a block holds. */
    public static final class Kind {
        public static final short LOCK = 1;
        public static final short STRUCT = 2;
        public static final short STRUCT_ARRAY = 3;
        public static final short PRIMITIVE_ARRAY = 4;
        public static final short PRIMITIVE_VALUE = 5;
        public static final short DIRECTORY_ENTRY = 6;
        public static final short TEXT = 7;
        /** Added to an object's kind when its payload starts with its own lock cell. */
        public static final short OWN_LOCK = 0x100;

        private Kind() {
        }
    }

    private final MemorySegment region;
    private final RegionHeader header;
    private final BlockHeader blocks;
    private final IntentLog intent;
    private final String name;

    public Allocator(MemorySegment region, RegionHeader header, IntentLog intent, String name) {
        this.region = region;
        this.header = header;
        this.blocks = new BlockHeader(region);
        this.intent = intent;
        this.name = name;
    }

    /** A zeroed payload of at least {@code bytes}, 16-byte aligned; returns its offset. */
    public long allocate(long bytes, short kind) {
        return allocate(bytes, kind, BlockHeader.Record.NONE);
    }

    /**
     * A zeroed payload of at least {@code bytes} for an object that {@code record} describes (its
     * lock, fingerprint and length, checked later against handles); returns its offset.
     */
    public long allocate(long bytes, short kind, BlockHeader.Record record) {
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
                    blocks.write(rest, size - need, FREE, (short) 0, 0, BlockHeader.Record.NONE);
                    setNextFree(rest, next);
                    next = rest;
                } else {
                    need = size;
                }
                CrashPoints.reached("allocate.split");
                link(previous, next);
                header.freeBytes(header.freeBytes() - need);
                CrashPoints.reached("allocate.unlinked");
                return claim(block, need, kind, record);
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
        writeClaimed(top, need, kind, record);
        CrashPoints.reached("allocate.beforeTop");
        header.top(top + need);
        region.asSlice(top + HEADER, need - HEADER).fill((byte) 0);
        return top + HEADER;
    }

    /** Frees the block whose payload is at {@code payload}, merging it with free neighbours. */
    public void free(long payload) {
        long block = payload - HEADER;
        long size = checkBlock(block, ALLOCATED);
        // Generation 0 first: a view of the freed object, in any process, sees that it is gone.
        // Then FREE: the commit point; whatever a kill leaves undone after it, rebuild() finishes.
        blocks.retire(block);
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
        blocks.write(block, size, FREE, (short) 0, 0, BlockHeader.Record.NONE);
        setNextFree(block, next);
        link(previous, block);
    }

    /**
     * Rebuilds the free list, {@code free_bytes}, {@code top} and the use counts of LOCK blocks
     * from the block tiling, which is valid after a kill at any point (see the class comment):
     * adjacent free blocks are merged, a free run at the end is given back to the top. Called
     * under the region lock by the process that took it over from a dead owner; a kill during the
     * rebuild leaves a tiling the next rebuild reads the same way.
     *
     * @throws InvalidRegionException if the tiling itself is broken: that is corruption, not a crash
     */
    void rebuild() {
        long top = header.top();
        checkTop(top);
        java.util.Map<Long, Integer> lockUsers = new java.util.HashMap<>();
        long previousFree = 0;
        long freeBytes = 0;
        long runStart = 0;
        long runSize = 0;
        long block = RegionHeader.DATA_START;
        for (long steps = 0; block < top; steps++) {
            long size = tiledBlock(block, top, steps);
            if (blocks.state(block) == FREE) {
                if (runStart == 0) {
                    runStart = block;
                    runSize = 0;
                }
                runSize += size;
            } else {
                if (runStart != 0) {
                    previousFree = linkRun(previousFree, runStart, runSize);
                    freeBytes += runSize;
                    runStart = 0;
                }
                long lock = blocks.record(block).lock();
                if (blocks.kind(block) == Kind.LOCK) {
                    lockUsers.putIfAbsent(block + HEADER, 0);
                } else if (lock != 0 && lock != block + HEADER) {
                    lockUsers.merge(lock, 1, Integer::sum);
                }
            }
            block += size;
        }
        if (runStart != 0) {
            // A free run at the end goes back to the top; it is beyond the tiling once top is lowered.
            header.top(runStart);
        }
        link(previousFree, 0);
        header.freeBytes(freeBytes);
        for (java.util.Map.Entry<Long, Integer> users : lockUsers.entrySet()) {
            long lockBlock = users.getKey() - HEADER;
            if (lockBlock >= RegionHeader.DATA_START && lockBlock < header.top() && blocks.state(lockBlock) == ALLOCATED
                    && blocks.kind(lockBlock) == Kind.LOCK) {
                blocks.lockUsers(lockBlock, users.getValue());
            }
        }
    }

    private long linkRun(long previousFree, long start, long size) {
        blocks.write(start, size, FREE, (short) 0, 0, BlockHeader.Record.NONE);
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
                if (blocks.state(block) == ALLOCATED) {
                    blocks.retire(block);
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
            visitor.visit(block + HEADER, size, blocks.state(block) == FREE, blocks.kind(block));
            block += size;
        }
    }

    /** One block of the tiling, as {@link #forEachBlock} reports it. */
    @FunctionalInterface
    interface BlockVisitor {
        void visit(long payload, long size, boolean free, short kind);
    }

    /** The free blocks in list order ({payload, size}), checked as {@link #allocate} checks them; for verify. */
    java.util.List<long[]> freeListBlocks() {
        java.util.List<long[]> list = new java.util.ArrayList<>();
        long previous = 0;
        for (long block = header.freeList(); block != 0; block = nextFree(block)) {
            checkFreeLink(previous, block);
            list.add(new long[] {block + HEADER, checkBlock(block, FREE)});
            previous = block;
        }
        return list;
    }

    private void checkTop(long top) {
        if (top < RegionHeader.DATA_START || top > region.byteSize() || top % ALIGNMENT != 0) {
            throw new InvalidRegionException(name + " is corrupt: its top " + top + " is outside the region ("
                    + RegionHeader.DATA_START + " to " + region.byteSize() + ")");
        }
    }

    /** The size of the block at {@code block} of the tiling up to {@code top}, after checking its header. */
    private long tiledBlock(long block, long top, long steps) {
        long size = blocks.size(block);
        short state = blocks.state(block);
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
     * is one, with that generation (a stale or made-up offset is refused, never trusted).
     */
    public short kindAt(long payload, long generation) {
        if (generation <= 0) {
            throw new InvalidRegionException("generation " + generation + " of the object at offset " + payload + " of " + name
                    + " is not one this region hands out (they start at 1)");
        }
        if (!isLive(payload, generation)) {
            throw new InvalidRegionException("no object of generation " + generation + " is at offset " + payload + " of " + name
                    + ": it was freed since it was named or handed over, or the offset is wrong");
        }
        checkBlock(blockOf(payload), ALLOCATED, generation);
        return blocks.kind(payload - HEADER);
    }

    /** The kind of the allocated block at {@code payload}, whatever its generation (for lock cells). */
    public short kindAt(long payload) {
        checkBlock(blockOf(payload), ALLOCATED, 0);
        return blocks.kind(payload - HEADER);
    }

    /** What the allocated block at {@code payload} records about its object; call after {@link #kindAt}. */
    public BlockHeader.Record recordAt(long payload) {
        return blocks.record(payload - HEADER);
    }

    /** Whether a block at {@code payload} is allocated now, with that generation. */
    public boolean isLive(long payload, long generation) {
        if (payload < RegionHeader.DATA_START + HEADER || payload > header.top() - MIN_BLOCK + HEADER) {
            return false;
        }
        long block = payload - HEADER;
        return block % ALIGNMENT == 0 && blocks.state(block) == ALLOCATED && blocks.generation(block) == generation;
    }

    /** The generation of the block whose payload is at {@code payload}. */
    public long generationOf(long payload) {
        return blocks.generation(payload - HEADER);
    }

    /** How many live objects use the LOCK block at {@code payload}. */
    public int lockUsers(long payload) {
        return blocks.lockUsers(payload - HEADER);
    }

    /** Counts one more ({@code +1}) or one fewer ({@code -1}) object using the LOCK block at {@code payload}. */
    public void addLockUser(long payload, int delta) {
        long block = payload - HEADER;
        int users = blocks.lockUsers(block);
        if (users + delta < 0 || users == Integer.MAX_VALUE) {
            throw new InvalidRegionException("the use count of the lock at offset " + payload + " of " + name
                    + " is " + users + ": the region is corrupt");
        }
        blocks.lockUsers(block, users + delta);
    }

    /** Payload bytes of the allocated block at {@code payload}. */
    public long payloadSize(long payload) {
        return sizeOf(payload - HEADER) - HEADER;
    }

    /** Bytes free: in free blocks and above the top. */
    public long freeBytes() {
        return header.freeBytes() + region.byteSize() - header.top();
    }

    private long claim(long block, long size, short kind, BlockHeader.Record record) {
        writeClaimed(block, size, kind, record);
        region.asSlice(block + HEADER, size - HEADER).fill((byte) 0);
        return block + HEADER;
    }

    private void writeClaimed(long block, long size, short kind, BlockHeader.Record record) {
        long generation = header.nextGeneration();
        BlockHeader.Record own = record.lock() == BlockHeader.Record.OWN_LOCK ? new BlockHeader.Record(block + HEADER, record.fingerprint(), record.length())
                : record;
        blocks.write(block, size, ALLOCATED, kind, generation, own);
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

    private long sizeOf(long block) {
        return blocks.size(block);
    }

    private long nextFree(long block) {
        return region.get(JAVA_LONG, block + HEADER);
    }

    private void setNextFree(long block, long next) {
        region.set(JAVA_LONG, block + HEADER, next);
    }

    /** The block of a payload offset, refusing offsets outside the allocated memory (no overflow). */
    private long blockOf(long payload) {
        if (payload < RegionHeader.DATA_START + HEADER || payload > header.top() - MIN_BLOCK + HEADER) {
            throw new InvalidRegionException("offset " + payload + " is not an object of " + name
                    + " (allocated memory spans " + (RegionHeader.DATA_START + HEADER) + " to " + header.top() + ")");
        }
        return payload - HEADER;
    }

    private long checkBlock(long block, short state) {
        return checkBlock(block, state, 0);
    }

    /**
     * The size of the block at {@code block}, after checking that it is a block in that state (and,
     * for an allocated block when {@code generation} is not 0, of that generation).
     */
    private long checkBlock(long block, short state, long generation) {
        if (block < RegionHeader.DATA_START || block % ALIGNMENT != 0 || block > header.top() - MIN_BLOCK) {
            throw new InvalidRegionException("offset " + (block + HEADER) + " is not an object of " + name
                    + " (allocated memory spans " + (RegionHeader.DATA_START + HEADER) + " to " + header.top() + ")");
        }
        long size = sizeOf(block);
        short actual = blocks.state(block);
        if (size < MIN_BLOCK || size % ALIGNMENT != 0 || size > header.top() - block
                || (actual != ALLOCATED && actual != FREE)) {
            throw new InvalidRegionException("offset " + (block + HEADER) + " of " + name
                    + " is not the start of an object, or the region is corrupt");
        }
        if (actual != state || (generation != 0 && blocks.generation(block) != generation)) {
            throw new InvalidRegionException("the object at offset " + (block + HEADER) + " of " + name
                    + (actual == FREE || state == ALLOCATED ? " was freed since it was named or handed over (or the offset is wrong)"
                            : " is in use, but the free list names it: the region is corrupt"));
        }
        return size;
    }
}
