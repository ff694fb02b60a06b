package dev.sharedstruct.internal.region;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The region's record of where allocated blocks start: one bit per 16 bytes of the data area, in
 * the {@code STARTS} block, the first block of every region (docs/FORMAT.md §3.3). A block header
 * alone proves nothing: an object's own bytes can hold a perfect copy of one, written through a
 * raw view, and a handle that points there would make a view (or a free) over the neighbours.
 * No view covers this block, so only the allocator writes it: a payload offset is an object's
 * only when its bit is set here as well as in its header.
 *
 * <p>Set before a claimed block's header is written, cleared after a free's commit point (its
 * generation 0), so that every allocated block with a generation has its bit at every moment;
 * a kill leaves at most bits of blocks that are not allocated, and the repair that follows every
 * kill under the region lock rebuilds the map from the tiling ({@link Allocator#rebuild}).
 * Written under the region lock only; read without it, one aligned word at a time.
 */
final class BlockStarts {
    /** The map's payload: the first block of the data area is always the map's. */
    static final long PAYLOAD = RegionHeader.DATA_START + BlockHeader.BYTES;

    private final MemorySegment region;

    BlockStarts(MemorySegment region) {
        this.region = region;
    }

    /** Payload bytes of the map of a region of {@code size} bytes: a bit per 16 bytes of data, in whole words. */
    static long bytesFor(long size) {
        long bits = (size - RegionHeader.DATA_START) / Allocator.ALIGNMENT;
        return (bits + 63) / 64 * 8;
    }

    /** Whether an allocated block starts at {@code block}, which the caller has checked is in the data area and aligned. */
    boolean marked(long block) {
        long bit = bit(block);
        return (region.get(JAVA_LONG, word(bit)) & 1L << bit) != 0;
    }

    void mark(long block) {
        long bit = bit(block);
        long at = word(bit);
        region.set(JAVA_LONG, at, region.get(JAVA_LONG, at) | 1L << bit);
    }

    void unmark(long block) {
        long bit = bit(block);
        long at = word(bit);
        region.set(JAVA_LONG, at, region.get(JAVA_LONG, at) & ~(1L << bit));
    }

    /**
     * Clears the bits of blocks below {@code top} and of {@code top} itself (where a claim from
     * the top killed before it raised the top left its bit); for the rebuild, which marks the
     * allocated blocks of the tiling again. Above that no bit is ever set, and the map of a large
     * sparse region is left untouched there.
     */
    void clear(long top) {
        region.asSlice(PAYLOAD, wordsThrough(top) * 8).fill((byte) 0);
    }

    /** How many bits are set for blocks up to {@code top}; for verify. */
    long count(long top) {
        long count = 0;
        for (long at = PAYLOAD, end = PAYLOAD + wordsThrough(top) * 8; at < end; at += 8) {
            count += Long.bitCount(region.get(JAVA_LONG, at));
        }
        return count;
    }

    /** The words of the map from the first through the one holding {@code top}'s bit, within the map. */
    private long wordsThrough(long top) {
        return Math.min(bytesFor(region.byteSize()) / 8, (bit(top) >>> 6) + 1);
    }

    private static long bit(long block) {
        return (block - RegionHeader.DATA_START) / Allocator.ALIGNMENT;
    }

    private static long word(long bit) {
        return PAYLOAD + (bit >>> 6) * 8;
    }
}
