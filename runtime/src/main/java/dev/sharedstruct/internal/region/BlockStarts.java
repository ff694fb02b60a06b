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
     * Clears the bits of the blocks {@code [from, to)} could hold: the space a claim from the
     * top is about to cover (only a corrupt map, or a kill between a claim's mark and its raise
     * of the top, leaves a bit above the top). A bit left there would otherwise mark a place
     * inside the new block's bytes, where a header copied into them would pass.
     */
    void clearRange(long from, long to) {
        for (long bit = bit(from), end = bit(to); bit < end; bit = nextWord(bit, end)) {
            long at = word(bit);
            long mask = maskInWord(bit, end);
            long value = region.get(JAVA_LONG, at);
            if ((value & mask) != 0) {
                region.set(JAVA_LONG, at, value & ~mask);
            }
        }
    }

    /**
     * Writes the map again from the allocated blocks of the tiling, for the rebuild: each word
     * through {@code top}'s is stored once, with every bit it should hold, so that processes that
     * look at the map meanwhile (without the region lock) never see a live block unmarked.
     * Words inside the map's own block are skipped: no block starts there, and in a large sparse
     * region they would be committed for nothing.
     */
    final class Rewrite {
        private final long lastWord;
        private final long firstAfterMap = firstWordAfterMap();
        private long word;
        private long bits;

        Rewrite(long top) {
            this.lastWord = wordsThrough(top) - 1;
        }

        /** Marks the allocated block at {@code block}; blocks come in address order. */
        void mark(long block) {
            long bit = bit(block);
            moveTo(bit >>> 6);
            bits |= 1L << bit;
        }

        /** Stores the last words, through {@code top}'s. */
        void finish() {
            moveTo(lastWord + 1);
        }

        /** Stores the word being built, then 0 in each word passed over, up to word {@code target}. */
        private void moveTo(long target) {
            while (word < target) {
                if (word <= lastWord && region.get(JAVA_LONG, PAYLOAD + word * 8) != bits) {
                    region.set(JAVA_LONG, PAYLOAD + word * 8, bits);
                }
                bits = 0;
                word = word == 0 ? Math.max(1, firstAfterMap) : word + 1;
            }
        }
    }

    /**
     * The first offset in {@code [from, to)} (both in the data area, {@code from} aligned) whose
     * bit is set, or -1; word by word, so a free block's whole interior costs a word per 1 KiB.
     */
    long firstMarkedIn(long from, long to) {
        for (long bit = bit(from), end = bit(to); bit < end; bit = nextWord(bit, end)) {
            long set = region.get(JAVA_LONG, word(bit)) & maskInWord(bit, end);
            if (set != 0) {
                return RegionHeader.DATA_START + ((bit & ~63L) + Long.numberOfTrailingZeros(set)) * Allocator.ALIGNMENT;
            }
        }
        return -1;
    }

    /** The bits of {@code bit}'s word from {@code bit} up to (not including) {@code end} or the word's end. */
    private static long maskInWord(long bit, long end) {
        long first = bit & 63;
        long last = Math.min(64, first + (end - bit));
        return last == 64 ? -1L << first : ((1L << last) - 1) & (-1L << first);
    }

    /** The first bit of the word after {@code bit}'s, or {@code end} if that comes first. */
    private static long nextWord(long bit, long end) {
        return Math.min(end, (bit | 63) + 1);
    }

    /** How many bits are set for blocks up to {@code top}; for verify. */
    long count(long top) {
        long words = wordsThrough(top);
        long count = Long.bitCount(region.get(JAVA_LONG, PAYLOAD));
        for (long index = Math.max(1, firstWordAfterMap()); index < words; index++) {
            count += Long.bitCount(region.get(JAVA_LONG, PAYLOAD + index * 8));
        }
        return count;
    }

    /**
     * The first word after word 0 that can hold a bit: the word of the first block after the
     * map's own (the smallest block that holds the map; a larger one only leaves more words 0).
     */
    private long firstWordAfterMap() {
        return bit(RegionHeader.DATA_START + Allocator.blockSize(bytesFor(region.byteSize()))) >>> 6;
    }

    /** The words of the map from the first through the one holding {@code top}'s bit, within the map. */
    private long wordsThrough(long top) {
        return Math.min(bytesFor(region.byteSize()) / 8, (bit(top) >>> 6) + 1);
    }

    /** Where the word holding the bit of the block at {@code block} is. */
    static long wordOffset(long block) {
        return word(bit(block));
    }

    /** The bit of the block at {@code block} within its word. */
    static long bitMask(long block) {
        return 1L << bit(block);
    }

    private static long bit(long block) {
        return (block - RegionHeader.DATA_START) / Allocator.ALIGNMENT;
    }

    private static long word(long bit) {
        return PAYLOAD + (bit >>> 6) * 8;
    }
}
