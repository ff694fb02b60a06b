package dev.sharedstruct.internal.region;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionFullException;

/**
 * Blocks in a region, shared by every process that maps the region; callers hold the region lock.
 * Each block starts with a {@link BlockHeader} (64 bytes: size, state, what the object is, and the
 * size of the block below it) and its payload is 16-byte aligned. Free blocks sit in size bins
 * ({@link FreeBins}), each a doubly linked list whose head is in the region header, with a bitmap
 * of the non-empty bins; a free block's payload starts with its {next, prev} links (-1 ends a bin). Allocation
 * takes the head of a bin that fits (or one of the first few blocks of its own power-of-two bin),
 * splits off the rest, and else raises the top; freeing merges with the free neighbours above and
 * below (the one below found through the boundary tag {@code prev_size}) and with the unallocated
 * top. Both cost the same however many free blocks there are.
 *
 * <p><b>Crash consistency.</b> The blocks tile {@code [DATA_START, top)} exactly, and every
 * update is ordered so that the tiling is valid after any store: a block is claimed by writing
 * its own header last (a split writes the remainder's header first, inside the free block, where
 * the tiling does not see it yet); a block from the top gets its header before {@code top} is
 * raised over it; a free first sets the block's generation to 0 (its commit point) and then its
 * state to FREE, and an ALLOCATED block with generation 0, which no object has, is read as free
 * by the rebuild ({@link BlockHeader#retiring}). The tiling, each block's state and that
 * generation 0 are the truth; the bins and their links, the bitmap, {@code free_bytes}, {@code last_size}, the
 * {@code prev_size} tags, the merging of neighbours and the lock use counts are derived, and a
 * process that takes the region lock over from a dead owner rebuilds them ({@link #rebuild}).
 *
 * <p><b>Bounded and checked.</b> No operation walks a list: allocation looks at a bounded number
 * of blocks, freeing at two neighbours. Every block offset read from the region is checked before
 * it is followed (inside the allocated area, aligned, in the state and bin expected, its
 * neighbours' links and boundary tags agreeing); anything else is an {@link InvalidRegionException}
 * naming the region.
 */
public final class Allocator {
    public static final long HEADER = BlockHeader.BYTES;
    public static final long ALIGNMENT = 16;
    public static final long MIN_BLOCK = HEADER + 16;
    private static final short ALLOCATED = BlockHeader.ALLOCATED;
    private static final short FREE = BlockHeader.FREE;
    /** How many blocks of its own power-of-two bin a request looks at before taking a bigger bin's head. */
    private static final int OWN_BIN_LOOKS = 8;

    /** What a block holds. */
    public static final class Kind {
        public static final short LOCK = 1;
        public static final short STRUCT = 2;
        public static final short STRUCT_ARRAY = 3;
        public static final short PRIMITIVE_ARRAY = 4;
        public static final short PRIMITIVE_VALUE = 5;
        public static final short DIRECTORY_ENTRY = 6;
        public static final short TEXT = 7;
        /** The bucket heads of the name index (one block, made with the region). */
        public static final short INDEX = 8;
        /** The block-start map (one block, the first of every region; {@link BlockStarts}). */
        public static final short STARTS = 9;
        /** Added to an object's kind when its payload starts with its own lock cell. */
        public static final short OWN_LOCK = 0x100;

        private Kind() {
        }
    }

    private final MemorySegment region;
    private final RegionHeader header;
    private final BlockHeader blocks;
    private final BlockStarts starts;
    private final IntentLog intent;
    private final String name;

    public Allocator(MemorySegment region, RegionHeader header, IntentLog intent, String name) {
        this.region = region;
        this.header = header;
        this.blocks = new BlockHeader(region);
        this.starts = new BlockStarts(region);
        this.intent = intent;
        this.name = name;
    }

    /**
     * Makes the block-start map of a new region: its first block, before any other; called by
     * its creator before the region is published.
     */
    public void createBlockStarts() {
        if (header.top() != RegionHeader.DATA_START) {
            throw new IllegalStateException("the block-start map must be the first block of " + name);
        }
        // Claimed in place, not through allocate(), which would zero the payload: a new file is
        // zeros already, and the map of a large sparse region would be committed whole.
        long size = blockSize(BlockStarts.bytesFor(region.byteSize()));
        writeClaimed(RegionHeader.DATA_START, size, Kind.STARTS, BlockHeader.Record.NONE);
        blocks.prevSize(RegionHeader.DATA_START, 0);
        header.top(RegionHeader.DATA_START + size);
        header.lastSize(size);
        header.starts(BlockStarts.PAYLOAD);
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
        long top = header.top();
        checkTop(top);
        FreeBlock fit = fittingFreeBlock(need);
        if (fit != null) {
            long block = fit.block();
            long size = fit.size();
            // Its size word must agree with its neighbours' tags, as free() checks: a size forged
            // to cover the block above would hand that block's memory out again.
            checkBoundaryTags(block, size, top);
            intent.allocating(block + HEADER);
            unlinkFree(block, size);
            CrashPoints.reached("allocate.unlinked");
            long rest = size - need;
            if (rest >= MIN_BLOCK) {
                // The remainder's header lies inside this free block: the tiling sees it only
                // once the block's own header is rewritten with the smaller size, in claim().
                blocks.write(block + need, rest, FREE, (short) 0, 0, BlockHeader.Record.NONE);
                blocks.prevSize(block + need, need);
                CrashPoints.reached("allocate.split");
            } else {
                need = size;
            }
            long payload = claim(block, need, kind, record);
            CrashPoints.reached("allocate.claimed");
            if (rest >= MIN_BLOCK) {
                setBoundaryTagAbove(block + need, rest, top);
                insertFree(block + need, rest);
            }
            header.freeBytes(header.freeBytes() - need);
            return payload;
        }
        if (need > region.byteSize() - top) {
            long tail = Math.max(0, region.byteSize() - top - HEADER);
            throw new RegionFullException(name, bytes, header.freeBytes() + region.byteSize() - top, Math.max(largestFree(), tail));
        }
        long live = liveBlockIn(top, top + need);
        if (live >= 0) {
            // The repair after a claim killed before it raised the top clears that claim's bit (the
            // word of top's bit is rewritten): a live block above the top means a forged top.
            throw new InvalidRegionException(name + " is corrupt: its top " + top + " is below the live block at offset "
                    + live + "; nothing was allocated");
        }
        intent.allocating(top + HEADER);
        // No bit may mark a place inside the new block (FORMAT.md §3.3): only a corrupt map or a
        // claim killed before it raised the top leaves one above the top.
        starts.clearRange(top, top + need);
        // Header first, top second: until top covers it, the block is not part of the tiling.
        writeClaimed(top, need, kind, record);
        blocks.prevSize(top, header.lastSize());
        CrashPoints.reached("allocate.beforeTop");
        header.top(top + need);
        header.lastSize(need);
        region.asSlice(top + HEADER, need - HEADER).fill((byte) 0);
        return top + HEADER;
    }

    /** A free block and its size, as {@link #checkFree} checked it: used as checked, never read again. */
    private record FreeBlock(long block, long size) {
    }

    /**
     * A free block of at least {@code need} bytes, or null: the head of the request's own bin when
     * every block there fits, else one of its first few blocks that does, else the head of the
     * next non-empty bin (all of whose blocks are bigger).
     */
    private FreeBlock fittingFreeBlock(long need) {
        int bin = FreeBins.of(need);
        long candidate = header.bin(bin);
        for (int looks = 0; candidate != 0 && looks < OWN_BIN_LOOKS; looks++) {
            long size = checkFree(candidate, bin);
            if (size >= need) {
                return new FreeBlock(candidate, size);
            }
            if (FreeBins.exact(bin)) {
                break;
            }
            candidate = nextFree(candidate);
        }
        int above = FreeBins.firstAtOrAbove(bin + 1, header.binMap(0), header.binMap(1));
        if (above < 0) {
            return null;
        }
        long head = header.bin(above);
        if (head == 0) {
            throw new InvalidRegionException(name + " is corrupt: its bin map says free bin " + above + " has blocks, its head is 0");
        }
        // checkFree holds it to its bin, all of whose sizes are above the request's bin.
        return new FreeBlock(head, checkFree(head, above));
    }

    /** The largest free payload among the bins' heads, for the message of a full region. */
    private long largestFree() {
        for (int bin = FreeBins.COUNT - 1; bin >= 0; bin--) {
            long head = header.bin(bin);
            if (head != 0) {
                long largest = 0;
                long block = head;
                for (int looks = 0; block != 0 && looks < OWN_BIN_LOOKS; looks++) {
                    largest = Math.max(largest, checkFree(block, bin) - HEADER);
                    block = nextFree(block);
                }
                return largest;
            }
        }
        return 0;
    }

    /** Frees the block whose payload is at {@code payload}, merging it with free neighbours. */
    public void free(long payload) {
        long block = payload - HEADER;
        long size = checkBlock(block, ALLOCATED);
        short kind = blocks.kind(block);
        if (kind == Kind.STARTS || kind == Kind.INDEX) {
            // Made with the region and never freed: an offset naming one came from a forged word
            // (a layout, an intent record), and freeing it would unmark or unlink every object.
            throw new InvalidRegionException(name + " is corrupt: a free names the block at " + payload + ", which is the region's "
                    + (kind == Kind.STARTS ? "block-start map" : "name index") + "; nothing was freed");
        }
        long top = header.top();
        checkTop(top);
        long belowSize = checkBoundaryTags(block, size, top);
        long above = block + size;
        long aboveSize = 0;
        if (above < top && blocks.state(above) == FREE) {
            // A free neighbour is merged whole, so its size must be the one the block above it
            // records too; checked before anything changes.
            aboveSize = checkBlock(above, FREE);
            checkBoundaryTags(above, aboveSize, top);
        }
        // Generation 0 first: a view of the freed object, in any process, sees that it is gone.
        // Then FREE. The generation store is the commit point: a kill before the state store
        // leaves an allocated block with generation 0, which rebuild() frees as it does a FREE
        // one (BlockHeader.retiring); whatever a kill leaves undone after it, rebuild() finishes.
        blocks.retire(block);
        starts.unmark(block);
        CrashPoints.reached("free.marked");
        header.freeBytes(header.freeBytes() + size);
        if (aboveSize != 0) {
            unlinkFree(above, aboveSize);
            size += aboveSize;
        }
        if (belowSize != 0 && blocks.state(block - belowSize) == FREE) {
            unlinkFree(block - belowSize, belowSize);
            block -= belowSize;
            size += belowSize;
        }
        CrashPoints.reached("free.merging");
        if (block + size == top) {
            // The free space ends at the top: give it back to the unallocated tail.
            header.top(block);
            CrashPoints.reached("free.loweredTop");
            header.lastSize(blocks.prevSize(block));
            header.freeBytes(header.freeBytes() - size);
            return;
        }
        blocks.write(block, size, FREE, (short) 0, 0, BlockHeader.Record.NONE);
        setBoundaryTagAbove(block, size, top);
        CrashPoints.reached("free.tagged");
        insertFree(block, size);
    }

    /**
     * Refuses a block whose size word disagrees with its neighbours' boundary tags: the block above
     * must record this size ({@code last_size} when it is the last), and the block below must have
     * the size this one records for it. A size forged to cover a live neighbour is caught here,
     * before {@code free} could hand that neighbour's memory out again. Returns the size of the
     * block below (0 for the first block), as checked: use it rather than a second read of the
     * tag, which another process may have rewritten since.
     */
    private long checkBoundaryTags(long block, long size, long top) {
        long above = block + size;
        long tagAbove = above == top ? header.lastSize() : blocks.prevSize(above);
        long below = blocks.prevSize(block);
        boolean belowAgrees = block == RegionHeader.DATA_START ? below == 0
                : below >= MIN_BLOCK && below % ALIGNMENT == 0 && below <= block - RegionHeader.DATA_START
                        && blocks.size(block - below) == below;
        if (tagAbove != size || !belowAgrees) {
            throw new InvalidRegionException(name + " is corrupt: the block at offset " + block + " has size " + size
                    + ", but " + (tagAbove != size ? (above == top ? "the header's last_size" : "the block above it") + " records "
                            + tagAbove : "the size it records for the block below it (" + below + ") does not match that block"));
        }
        return below;
    }

    private void setBoundaryTagAbove(long block, long size, long top) {
        if (block + size == top) {
            header.lastSize(size);
        } else {
            blocks.prevSize(block + size, size);
        }
    }

    /** Puts the free block {@code block} at the head of its bin. */
    private void insertFree(long block, long size) {
        int bin = FreeBins.of(size);
        long head = header.bin(bin);
        if (head != 0) {
            // Its prev link is written below: a forged head would have that write land anywhere.
            // (Refused here, the block stays free but unbinned; the next rebuild bins it.)
            checkFree(head, bin);
        }
        setNextFree(block, head);
        setPrevFree(block, 0);
        if (head != 0) {
            setPrevFree(head, block);
        }
        header.bin(bin, block);
        int word = bin >>> 6;
        header.binMap(word, header.binMap(word) | 1L << (bin & 63));
    }

    /** Takes the free block {@code block} out of its bin, after checking that its links agree with their targets. */
    private void unlinkFree(long block, long size) {
        int bin = FreeBins.of(size);
        long next = nextFree(block);
        long previous = prevFree(block);
        if (next != 0 && (checkFree(next, bin) < 0 || prevFree(next) != block)) {
            throw corruptLinks(block);
        }
        if (previous == 0) {
            if (header.bin(bin) != block) {
                throw corruptLinks(block);
            }
            header.bin(bin, next);
            if (next == 0) {
                int word = bin >>> 6;
                header.binMap(word, header.binMap(word) & ~(1L << (bin & 63)));
            }
        } else {
            checkFree(previous, bin);
            if (nextFree(previous) != block) {
                throw corruptLinks(block);
            }
            setNextFree(previous, next);
        }
        if (next != 0) {
            setPrevFree(next, previous);
        }
    }

    private InvalidRegionException corruptLinks(long block) {
        return new InvalidRegionException(name + " is corrupt: the links of the free block at offset " + block
                + " do not agree with its neighbours in its size bin");
    }

    /**
     * The size of the free block {@code block} of bin {@code bin}, after checking that it is one:
     * every link of a bin comes from the file, so it is checked before it is followed.
     */
    private long checkFree(long block, int bin) {
        long size = checkBlock(block, FREE);
        if (FreeBins.of(size) != bin) {
            throw new InvalidRegionException(name + " is corrupt: free bin " + bin + " holds the block at offset " + block
                    + " of size " + size + ", which belongs to bin " + FreeBins.of(size));
        }
        return size;
    }

    /**
     * Rebuilds the bins, the bitmap, {@code free_bytes}, {@code top}, {@code last_size}, every
     * {@code prev_size} tag and the use counts of LOCK blocks from the block tiling, which is
     * valid after a kill at any point (see the class comment): a free cut short (an allocated
     * block with generation 0) is completed, adjacent free blocks are merged, a
     * free run at the end is given back to the top. Every allocated block's {@code entry} word is
     * cleared: the directory sets it again ({@link Directory#rebuildIndex}). Called under the
     * region lock by the process that took it over from a dead owner; a kill during the rebuild
     * leaves a tiling the next rebuild reads the same way.
     *
     * @throws InvalidRegionException if the tiling itself is broken: that is corruption, not a crash
     */
    void rebuild() {
        long top = header.top();
        checkTop(top);
        refuseLiveBlocksInsideFreeOnes(top);
        for (int bin = 0; bin < FreeBins.COUNT; bin++) {
            header.bin(bin, 0);
        }
        header.binMap(0, 0);
        header.binMap(1, 0);
        BlockStarts.Rewrite marks = starts.new Rewrite(top);
        java.util.Map<Long, Integer> lockUsers = new java.util.HashMap<>();
        long freeBytes = 0;
        long runStart = 0;
        long runSize = 0;
        long below = 0;          // size of the last tile before the current block (a whole run counts as one)
        long belowRun = 0;       // the same, for the block before the current run
        long block = RegionHeader.DATA_START;
        for (long steps = 0; block < top; steps++) {
            long size = tiledBlock(block, top, steps);
            if (blocks.retiring(block)) {
                // A free (or a claim) cut short between its header stores: complete the free, so
                // that no ALLOCATED header is left inside the free run or above the top.
                blocks.state(block, FREE);
            }
            if (blocks.state(block) == FREE) {
                if (runStart == 0) {
                    runStart = block;
                    runSize = 0;
                    belowRun = below;
                }
                runSize += size;
            } else {
                if (runStart != 0) {
                    blocks.write(runStart, runSize, FREE, (short) 0, 0, BlockHeader.Record.NONE);
                    blocks.prevSize(runStart, belowRun);
                    insertFree(runStart, runSize);
                    freeBytes += runSize;
                    below = runSize;
                    runStart = 0;
                }
                blocks.prevSize(block, below);
                blocks.entry(block, 0);
                marks.mark(block);
                long lock = lockMadeWith(block);
                if (blocks.kind(block) == Kind.LOCK) {
                    lockUsers.putIfAbsent(block + HEADER, 0);
                } else if (lock != 0) {
                    lockUsers.merge(lock, 1, Integer::sum);
                }
                below = size;
            }
            block += size;
        }
        marks.finish();
        if (runStart != 0) {
            // A free run at the end goes back to the top; it is beyond the tiling once top is lowered.
            header.top(runStart);
            below = belowRun;
        }
        header.lastSize(below);
        header.freeBytes(freeBytes);
        for (java.util.Map.Entry<Long, Integer> users : lockUsers.entrySet()) {
            long lockBlock = users.getKey() - HEADER;
            // The offsets come from objects' lock words: only a block of the tiling (the map was
            // rebuilt from it above) gets a count, never a copied header inside an object's bytes.
            if (lockBlock >= RegionHeader.DATA_START && lockBlock < header.top() && lockBlock % ALIGNMENT == 0
                    && starts.marked(lockBlock) && blocks.state(lockBlock) == ALLOCATED && blocks.kind(lockBlock) == Kind.LOCK) {
                blocks.lockUsers(lockBlock, users.getValue());
            }
        }
    }

    /**
     * Before the rebuild writes anything: refuses a free block (or a free cut short) whose size
     * covers a live block, which the map still marks and whose header still says allocated with
     * a generation. The tiling alone cannot tell: a single forged size word (a free block's, or a
     * cut-short one's) makes a tiling that skips the live blocks it covers, and the rebuild would
     * merge them into a free run, unmark them and hand their memory out again while their views
     * still write it. No kill leaves that: a block's bit is set only while it is allocated and
     * cleared once its free has retired it (generation 0, which this does not count as live).
     */
    private void refuseLiveBlocksInsideFreeOnes(long top) {
        long block = RegionHeader.DATA_START;
        for (long steps = 0; block < top; steps++) {
            long size = tiledBlock(block, top, steps);
            long inside = blocks.state(block) == FREE || blocks.retiring(block) ? liveBlockIn(block + ALIGNMENT, block + size) : -1;
            if (inside >= 0) {
                throw new InvalidRegionException(name + " is corrupt: the free block at offset " + block + " has size "
                        + size + ", which covers the live block at offset " + inside + "; nothing was repaired");
            }
            block += size;
        }
    }

    /**
     * The first block starting in {@code [from, to)} that the start map marks and whose header
     * says allocated with a generation (a live block, which no free or kill leaves there), or -1.
     * Bounded by the map's bits in the range; headers are read only where a bit is set.
     */
    private long liveBlockIn(long from, long to) {
        long lastStart = Math.min(to, region.byteSize()) - MIN_BLOCK;    // a live block must fit before to
        for (long at = starts.firstMarkedIn(from, lastStart + ALIGNMENT); at >= 0; at = starts.firstMarkedIn(at + ALIGNMENT,
                lastStart + ALIGNMENT)) {
            if (blocks.state(at) == ALLOCATED && blocks.generation(at) != 0) {
                return at;
            }
        }
        return -1;
    }

    /**
     * The generation of the block whose payload is {@code payload} when it is an allocated block
     * of the tiling now, else 0 (a made-up offset, a free block, the middle of a block); for the
     * repair, which checks what the intent record names before it frees anything.
     */
    long allocatedGeneration(long payload) {
        long block = tiledBlockOf(payload);
        return block >= 0 && blocks.state(block) == ALLOCATED ? blocks.generation(block) : 0;
    }

    /**
     * The kind of the allocated block of the tiling whose payload is {@code payload}, or -1 when
     * the tiling has no allocated block there; for the repair, which checks what an intent record
     * names before it frees anything.
     */
    short allocatedKind(long payload) {
        long block = tiledBlockOf(payload);
        return block >= 0 && blocks.state(block) == ALLOCATED ? blocks.kind(block) : -1;
    }

    /** Whether {@code kind} is an object's (a struct, an array or a value, with or without its own lock cell). */
    public static boolean isObjectKind(short kind) {
        int plain = kind & ~Kind.OWN_LOCK;
        return plain >= Kind.STRUCT && plain <= Kind.PRIMITIVE_VALUE;
    }

    /**
     * Marks the block whose payload is {@code payload} free if it is an allocated block of the
     * tiling now (not a made-up offset, not a block already freed or merged); for the repair of a
     * dead process's intent, followed by {@link #rebuild}.
     */
    void markFreeIfAllocated(long payload) {
        long block = tiledBlockOf(payload);
        if (block >= 0 && blocks.state(block) == ALLOCATED) {
            short kind = blocks.kind(block);
            if (kind == Kind.STARTS || kind == Kind.INDEX) {
                // As free() refuses: the repair checked the record's kinds in an earlier walk, and
                // a kind word rewritten since must still not free the map or the index.
                throw new InvalidRegionException(name + " is corrupt: a repair was to free the block at " + payload
                        + ", which is the region's " + (kind == Kind.STARTS ? "block-start map" : "name index"));
            }
            blocks.retire(block);
        }
    }

    /** The block whose payload is {@code payload} when the tiling has one there, else -1; a bounded, checked walk. */
    private long tiledBlockOf(long payload) {
        long wanted = payload - HEADER;
        long top = header.top();
        checkTop(top);
        long block = RegionHeader.DATA_START;
        for (long steps = 0; block < top && block <= wanted; steps++) {
            long size = tiledBlock(block, top, steps);
            if (block == wanted) {
                return block;
            }
            block += size;
        }
        return -1;
    }

    /**
     * Checks, before {@link #rebuild} trusts the tiling, that each of {@code payloads} (the
     * blocks the region's metadata names: the name index, the directory's entries, their objects
     * and layout texts) is the payload of an allocated block of the tiling. The rebuild frees
     * whatever a free block's size covers; a crash never moves a block boundary over an allocated
     * block, so a named block inside another block means a size word was forged or overwritten,
     * and rebuilding would hand the named block's memory out again. Nor may a named block be
     * allocated with generation 0 ({@link BlockHeader#retiring}): the rebuild completes such a
     * block's free, and a crash never leaves one that is named (a name is unlinked before its
     * blocks are freed, and the repair unlinks a removal's entry before this check); a named one
     * means a generation word was forged or overwritten. One walk, nothing written.
     *
     * @throws InvalidRegionException naming the first such block (and the block that covers it)
     */
    void checkNamedBlocksTiled(java.util.Collection<Long> payloads) {
        long[] wanted = payloads.stream().mapToLong(Long::longValue).filter(payload -> payload != 0).sorted().distinct().toArray();
        int[] next = {0};
        forEachBlock((payload, size, free, kind) -> {
            long end = payload - HEADER + size;
            for (; next[0] < wanted.length && wanted[next[0]] < end; next[0]++) {
                if (wanted[next[0]] == payload && !free && blocks.retiring(payload - HEADER)) {
                    throw namedBlockRetiring(payload);
                }
                if (wanted[next[0]] != payload || free) {
                    throw namedBlockCovered(wanted[next[0]], payload - HEADER, size, free);
                }
            }
        });
        if (next[0] < wanted.length) {
            throw new InvalidRegionException(name + " is corrupt: the region's metadata names a block at offset "
                    + wanted[next[0]] + ", at or above the top of its blocks (" + header.top() + ")");
        }
    }

    private InvalidRegionException namedBlockRetiring(long named) {
        return new InvalidRegionException(name + " is corrupt: the region's metadata names the block at offset " + named
                + ", which is allocated with generation 0 (what a free cut short leaves, and no object has); the repair"
                + " leaves the region as it is rather than complete the free of a named block");
    }

    private InvalidRegionException namedBlockCovered(long named, long block, long size, boolean free) {
        return new InvalidRegionException(name + " is corrupt: the region's metadata names a block at offset " + named
                + ", but the " + (free ? "free" : "allocated") + " block at offset " + block + " of size " + size
                + " covers it; the repair leaves the region as it is rather than free a named block");
    }

    /** The lock cell the object of the allocated block {@code block} was made with, if not its own; else 0. */
    private long lockMadeWith(long block) {
        long lock = blocks.record(block).lock();
        return lock == block + HEADER ? 0 : lock;
    }

    /**
     * The lock cells that allocated objects of the tiling were made with (a LOCK block, or another
     * object that owns its lock): blocks the metadata names too, which the repair's rebuild must
     * not free ({@link #checkNamedBlocksTiled}). One walk, nothing written.
     */
    java.util.Set<Long> locksOfObjects() {
        java.util.Set<Long> locks = new java.util.HashSet<>();
        forEachBlock((payload, size, free, kind) -> {
            // A block whose free was cut short uses its lock no more: the rebuild completes the free.
            long lock = free || blocks.retiring(payload - HEADER) ? 0 : lockMadeWith(payload - HEADER);
            if (lock != 0) {
                locks.add(lock);
            }
        });
        return locks;
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

    /**
     * The payload offsets of the allocated blocks that start with a lock cell of {@code cellBytes}
     * (LOCK blocks, and objects that own their lock); bounded and checked as the tiling is.
     */
    public java.util.List<Long> lockCells(long cellBytes) {
        java.util.List<Long> cells = new java.util.ArrayList<>();
        forEachLockCell(cellBytes, cells::add);
        return cells;
    }

    /** {@link #lockCells}, each given to {@code visitor} as the walk finds it. */
    public void forEachLockCell(long cellBytes, java.util.function.LongConsumer visitor) {
        forEachBlock((payload, size, free, kind) -> {
            if (!free && (kind == Kind.LOCK || (kind & Kind.OWN_LOCK) != 0) && size - HEADER >= cellBytes) {
                visitor.accept(payload);
            }
        });
    }

    /** One block of the tiling, as {@link #forEachBlock} reports it. */
    @FunctionalInterface
    interface BlockVisitor {
        void visit(long payload, long size, boolean free, short kind);
    }

    /**
     * The free blocks of every bin ({payload, size, bin}), each bin in list order, checked as
     * allocation checks them (state, bin, back links); for verify. The walk stops after
     * {@code limit} blocks (the free blocks of the tiling; more means a cycle or a stray link).
     */
    java.util.List<long[]> binnedBlocks(int limit) {
        java.util.List<long[]> list = new java.util.ArrayList<>();
        for (int bin = 0; bin < FreeBins.COUNT; bin++) {
            long previous = 0;
            boolean mapped = (header.binMap(bin >>> 6) & 1L << (bin & 63)) != 0;
            if (mapped != (header.bin(bin) != 0)) {
                throw new InvalidRegionException(name + " is corrupt: its bin map says free bin " + bin + " is "
                        + (mapped ? "not empty" : "empty") + ", its head is " + header.bin(bin));
            }
            for (long block = header.bin(bin); block != 0; block = nextFree(block)) {
                if (list.size() >= limit) {
                    throw new InvalidRegionException(name + " is corrupt: its free bins hold more blocks than the "
                            + limit + " free blocks of the tiling (a cycle, or a link to a block twice), seen at bin " + bin);
                }
                long size = checkFree(block, bin);
                if (prevFree(block) != previous) {
                    throw corruptLinks(block);
                }
                list.add(new long[] {block + HEADER, size, bin});
                previous = block;
            }
        }
        return list;
    }

    /** The boundary tag the block at {@code payload} records for the block below it; for verify. */
    long prevSizeAt(long payload) {
        return blocks.prevSize(payload - HEADER);
    }

    /** The header's {@code last_size}; for verify. */
    long lastSize() {
        return header.lastSize();
    }

    /** Whether the block-start map marks the block whose payload is at {@code payload}; for verify. */
    boolean startMarked(long payload) {
        return starts.marked(payload - HEADER);
    }

    /** How many blocks the block-start map marks; for verify. */
    long startsMarked() {
        return starts.count(header.top());
    }

    /** The directory entry recorded in the allocated block at {@code payload}; 0 = unnamed. */
    long entryOf(long payload) {
        return blocks.entry(payload - HEADER);
    }

    /** Records the directory entry that names the allocated block at {@code payload} (0 = none). */
    void entryOf(long payload, long entry) {
        blocks.entry(payload - HEADER, entry);
    }

    /** The header's top, read once and checked: another process may write any value there at any time. */
    private long checkedTop() {
        long top = header.top();
        checkTop(top);
        return top;
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

    /**
     * Whether a block at {@code payload} is allocated now, with that generation; never for
     * generation 0, which only a block whose free was cut short has ({@link BlockHeader#retiring}).
     */
    public boolean isLive(long payload, long generation) {
        long top = header.top();
        if (generation <= 0 || payload < RegionHeader.DATA_START + HEADER || payload > top - MIN_BLOCK + HEADER
                || top > region.byteSize()) {
            return false;
        }
        long block = payload - HEADER;
        return block % ALIGNMENT == 0 && starts.marked(block) && blocks.state(block) == ALLOCATED
                && blocks.generation(block) == generation;
    }

    /** The generation of the block whose payload is at {@code payload}. */
    public long generationOf(long payload) {
        return blocks.generation(payload - HEADER);
    }

    /** How many live objects use the LOCK block at {@code payload}. */
    public int lockUsers(long payload) {
        return blocks.lockUsers(payload - HEADER);
    }

    /**
     * Counts one more ({@code +1}) or one fewer ({@code -1}) object using the lock cell at
     * {@code payload}: a LOCK block, or an object owning its lock. The offset may come from a word
     * of the file (an object's lock): refused, unwritten, when no such block starts there.
     */
    public void addLockUser(long payload, int delta) {
        requireLockCell(payload);
        long block = payload - HEADER;
        int users = blocks.lockUsers(block);
        if (users + delta < 0 || users == Integer.MAX_VALUE) {
            throw new InvalidRegionException("the use count of the lock at offset " + payload + " of " + name
                    + " is " + users + ": the region is corrupt");
        }
        blocks.lockUsers(block, users + delta);
    }

    /**
     * Refuses an offset that is not a lock cell others can be made with: the payload of a LOCK
     * block, or of an object that owns its lock (checked as {@link #kindAt} checks the block).
     */
    public void requireLockCell(long payload) {
        short kind = kindAt(payload);
        if (kind != Kind.LOCK && (kind & Kind.OWN_LOCK) == 0) {
            throw new InvalidRegionException("offset " + payload + " of " + name + " is named as a lock, but its block ("
                    + "kind " + kind + ") holds none: the region is corrupt");
        }
    }

    /**
     * Payload bytes of the allocated block at {@code payload}, checked as {@link #kindAt} checks
     * the block: the size word is read again here, and another process may have rewritten it since.
     */
    public long payloadSize(long payload) {
        return checkBlock(blockOf(payload), ALLOCATED) - HEADER;
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
        starts.mark(block);     // before the header: an allocated block with a generation always has its bit
        BlockHeader.Record own = record.lock() == BlockHeader.Record.OWN_LOCK ? new BlockHeader.Record(block + HEADER, record.fingerprint(), record.length())
                : record;
        blocks.write(block, size, ALLOCATED, kind, generation, own);
    }

    static long blockSize(long bytes) {
        if (bytes <= 0 || bytes > Long.MAX_VALUE - 2 * ALIGNMENT) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        return Math.max(MIN_BLOCK, (bytes + HEADER + ALIGNMENT - 1) & -ALIGNMENT);
    }

    private long sizeOf(long block) {
        return blocks.size(block);
    }

    /**
     * What a free block's {@code next} link holds at the end of its bin: all bits set, not 0. The
     * link overlays the first word of what was the payload, which is the owner word when the
     * block held a lock cell; a lock reads 0 as free, so a process still holding that lock could
     * otherwise claim the link (docs/LOCK.md, "Freeing a block with a lock cell"). A stored 0 is
     * still read as the end, as regions made before this wrote it.
     */
    private static final long END_OF_BIN = -1L;

    private long nextFree(long block) {
        long stored = region.get(JAVA_LONG, block + HEADER);
        return stored == END_OF_BIN ? 0 : stored;
    }

    private void setNextFree(long block, long next) {
        region.set(JAVA_LONG, block + HEADER, next == 0 ? END_OF_BIN : next);
    }

    private long prevFree(long block) {
        return region.get(JAVA_LONG, block + HEADER + 8);
    }

    private void setPrevFree(long block, long previous) {
        region.set(JAVA_LONG, block + HEADER + 8, previous);
    }

    /** The block of a payload offset, refusing offsets outside the allocated memory (no overflow). */
    private long blockOf(long payload) {
        long top = checkedTop();
        if (payload < RegionHeader.DATA_START + HEADER || payload > top - MIN_BLOCK + HEADER) {
            throw new InvalidRegionException("offset " + payload + " is not an object of " + name
                    + " (allocated memory spans " + (RegionHeader.DATA_START + HEADER) + " to " + top + ")");
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
        long top = checkedTop();
        if (block < RegionHeader.DATA_START || block % ALIGNMENT != 0 || block > top - MIN_BLOCK) {
            throw new InvalidRegionException("offset " + (block + HEADER) + " is not an object of " + name
                    + " (allocated memory spans " + (RegionHeader.DATA_START + HEADER) + " to " + top + ")");
        }
        long size = sizeOf(block);
        short actual = blocks.state(block);
        if (size < MIN_BLOCK || size % ALIGNMENT != 0 || size > top - block
                || (actual != ALLOCATED && actual != FREE)) {
            throw new InvalidRegionException("offset " + (block + HEADER) + " of " + name
                    + " is not the start of an object, or the region is corrupt");
        }
        if (actual == ALLOCATED && !starts.marked(block)) {
            // A header the region's block-start map does not know: a copy written into an
            // object's bytes (through a raw view), which a handle or a free must never trust.
            throw new InvalidRegionException("offset " + (block + HEADER) + " of " + name
                    + " is not the start of an object: no allocated block starts there (what looks like a block header"
                    + " there lies inside another block)");
        }
        if (actual != state || (generation != 0 && blocks.generation(block) != generation)) {
            throw new InvalidRegionException("the object at offset " + (block + HEADER) + " of " + name
                    + (actual == FREE || state == ALLOCATED ? " was freed since it was named or handed over (or the offset is wrong)"
                            : " is in use, but a free bin or a neighbour names it as free: the region is corrupt"));
        }
        return size;
    }
}
