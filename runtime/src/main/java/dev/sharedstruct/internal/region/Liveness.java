package dev.sharedstruct.internal.region;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import dev.sharedstruct.Placement;

/**
 * Whether the object a view was made for is still in its block: the block's generation word,
 * read through the whole region's mapping (which outlives the object), compared with the
 * generation the object was allocated with. A freed block's generation is 0 and a reused one
 * has a new one, so a view of a freed object, in any process, sees the difference. Shared by all
 * views of one object: raw, synchronized, nested, elements.
 */
public final class Liveness {
    /** The block's generation word, 8 bytes of the region's mapping: one field to reach on the hot path. */
    private final MemorySegment word;
    /** The word of the block-start map that holds the block's bit, and that bit. */
    private final MemorySegment startWord;
    private final long startBit;
    private final long generation;
    private final long object;

    public Liveness(MemorySegment region, Placement placement) {
        long block = placement.block() - BlockHeader.BYTES;
        this.word = region.asSlice(BlockHeader.generationWord(placement.block()), JAVA_LONG.byteSize());
        this.startWord = region.asSlice(BlockStarts.wordOffset(block), JAVA_LONG.byteSize());
        this.startBit = BlockStarts.bitMask(block);
        this.generation = placement.generation();
        this.object = placement.object();
    }

    /** The liveness of a lock cell's own block (a LOCK block), the cell at its payload's start. */
    public Liveness(MemorySegment region, long block, long generation) {
        this(region, new Placement(block, block, block, generation));
    }

    /** The generation the object was allocated with. */
    public long generation() {
        return generation;
    }

    /**
     * 0 while the object is in its block, else non-zero: for code that folds it into one branch.
     * The generation word alone is not enough: once the block is freed and merged, that word is
     * the bytes of whatever object reuses the memory, which can hold the old generation (a small
     * number) by chance or by design. The block-start map, which no object covers, says whether
     * a block still starts there; a new block starting there has a new generation.
     */
    public long staleness() {
        // The word is 8-aligned (block headers are); the unaligned layout only spares the check of
        // that, which every lock claim would pay twice.
        return (word.get(JAVA_LONG_UNALIGNED, 0L) ^ generation) | startUnmarked();
    }

    /** 0 while the block-start map marks the block, else non-zero; see {@link #staleness()}. */
    public long startUnmarked() {
        return (startWord.get(JAVA_LONG_UNALIGNED, 0L) & startBit) ^ startBit;
    }

    /**
     * The 8 bytes of the block-start map that hold the block's bit, for code that reads it on a
     * hot path through a field of its own (one object fewer to reach after a memory barrier).
     */
    public MemorySegment startWord() {
        return startWord;
    }

    /** The block's bit within {@link #startWord()}. */
    public long startBit() {
        return startBit;
    }

    public boolean alive() {
        return staleness() == 0;
    }

    /** The exception for a view whose object was freed. */
    public IllegalStateException freed(String kind, Throwable cause) {
        return new IllegalStateException("this " + kind + " (offset " + object + ", generation " + generation
                + ") was freed; its memory may belong to another object now, so it is not touched", cause);
    }
}
