package dev.sharedstruct;

/**
 * Where an object sits in its region: what a handle and a directory entry record of its memory.
 *
 * @param block payload offset of the object's block (what is freed)
 * @param object offset of the object itself: the block, or just after the block's own lock cell
 * @param lock offset of the lock cell; 0 when raw; equal to {@code block} when the object owns it
 * @param generation the block's generation when the object was made; a reused block has another
 */
public record Placement(long block, long object, long lock, long generation) {
}
