package dev.sharedstruct.internal.region;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * The 64-byte header in front of every block, and the only code that reads or writes it. Besides
 * what the allocator needs (size, state) it records what the object in the block is, so that a
 * handle or directory entry from outside is checked against the region's own record, not trusted:
 * <pre>
 * struct block_header {
 *     int64_t size;          //  0  whole block, header included, a multiple of 16
 *     int16_t state;         //  8  ALLOCATED or FREE
 *     int16_t kind;          // 10  what the payload holds (Allocator.Kind), OWN_LOCK added when it starts with its lock
 *     int32_t lock_users;    // 12  a LOCK block: how many live objects use it (freeing it is refused until 0)
 *     int64_t generation;    // 16  from the region's 64-bit counter, never reused; 0 once the block is freed
 *                            //     (ALLOCATED with 0: a free cut short by a kill, see retiring())
 *     int64_t lock;          // 24  the object's lock cell: 0 raw, the payload when it owns its lock, else a LOCK block
 *     int64_t fingerprint;   // 32  layout fingerprint of a struct (the typecode for primitive arrays and values)
 *     int64_t length;        // 40  elements of an array, 1 otherwise
 *     int64_t prev_size;     // 48  size of the block just below (0 for the first): the boundary tag
 *     int64_t entry;         // 56  payload of the directory entry that names this object; 0 = unnamed
 * };                         // a free block's payload starts with {next, prev}: the free block
 *                            // headers' offsets in its size bin (next -1 and prev 0 = none)
 * </pre>
 * {@code prev_size} lets {@code free} reach the block below in one step and catches a size word
 * that was changed: the block above a block of size s records s.
 */
public final class BlockHeader {
    static final long BYTES = 64;
    public static final short ALLOCATED = 0x5A11;
    public static final short FREE = 0x5F4E;

    private static final long SIZE = 0;
    private static final long STATE = 8;
    private static final long KIND = 10;
    private static final long LOCK_USERS = 12;
    private static final long GENERATION = 16;
    private static final long LOCK = 24;
    private static final long FINGERPRINT = 32;
    private static final long LENGTH = 40;
    private static final long PREV_SIZE = 48;
    private static final long ENTRY = 56;

    /** What an allocated block records about its object, beyond kind and generation. */
    public record Record(long lock, long fingerprint, long length) {
        static final Record NONE = new Record(0, 0, 0);
        /** As {@code lock}: the object owns its lock, at the start of the payload (the allocator fills in the offset). */
        public static final long OWN_LOCK = -1;
    }

    private final MemorySegment region;

    public BlockHeader(MemorySegment region) {
        this.region = region;
    }

    /** Writes everything but the boundary tag ({@code prev_size}), which belongs to the tiling below; no entry names the block yet. */
    void write(long block, long size, short state, short kind, long generation, Record record) {
        region.set(JAVA_LONG, block + SIZE, size);
        region.set(JAVA_SHORT, block + STATE, state);
        region.set(JAVA_SHORT, block + KIND, kind);
        region.set(JAVA_INT, block + LOCK_USERS, 0);
        region.set(JAVA_LONG, block + GENERATION, generation);
        region.set(JAVA_LONG, block + LOCK, record.lock());
        region.set(JAVA_LONG, block + FINGERPRINT, record.fingerprint());
        region.set(JAVA_LONG, block + LENGTH, record.length());
        region.set(JAVA_LONG, block + ENTRY, 0L);
    }

    long prevSize(long block) {
        return region.get(JAVA_LONG, block + PREV_SIZE);
    }

    void prevSize(long block, long size) {
        region.set(JAVA_LONG, block + PREV_SIZE, size);
    }

    /** The directory entry naming the object in {@code block}; 0 = unnamed. */
    long entry(long block) {
        return region.get(JAVA_LONG, block + ENTRY);
    }

    void entry(long block, long entry) {
        region.set(JAVA_LONG, block + ENTRY, entry);
    }

    public long size(long block) {
        return region.get(JAVA_LONG, block + SIZE);
    }

    public short state(long block) {
        return region.get(JAVA_SHORT, block + STATE);
    }

    public void state(long block, short state) {
        region.set(JAVA_SHORT, block + STATE, state);
    }

    /**
     * Marks an allocated block free, generation 0 (no live object has it), before it is merged or
     * linked: two stores, generation first (a view in any process sees the object gone), then the
     * state. A kill between them leaves an allocated block with generation 0 ({@link #retiring}),
     * which the repair's rebuild takes for what it is, a free cut short, and completes.
     */
    void retire(long block) {
        region.set(JAVA_LONG, block + GENERATION, 0L);
        CrashPoints.reached("free.retiring");
        region.set(JAVA_SHORT, block + STATE, FREE);
    }

    /**
     * Whether {@code block} is ALLOCATED with generation 0. No object ever has such a block:
     * generations start at 1, and a block gets its generation in the same header write that
     * claims it. Only a kill leaves one, between the two stores of {@link #retire} (a free cut
     * short) or between the state and generation stores of {@link #write} claiming a free block
     * (an allocation cut short, never handed out). Either way its memory is nobody's: the repair
     * completes the free. A block that the region's metadata names is never one (the repair
     * checks that before it frees anything, {@link Allocator#checkNamedBlocksTiled}).
     */
    boolean retiring(long block) {
        return state(block) == ALLOCATED && generation(block) == 0;
    }

    public short kind(long block) {
        return region.get(JAVA_SHORT, block + KIND);
    }

    long generation(long block) {
        return region.get(JAVA_LONG, block + GENERATION);
    }

    /** How far a block's payload starts after its generation word. */
    public static final long GENERATION_TO_PAYLOAD = BYTES - GENERATION;

    /** Offset of the generation word of the block whose payload is at {@code payload}: read under a lock by views. */
    public static long generationWord(long payload) {
        return payload - GENERATION_TO_PAYLOAD;
    }

    int lockUsers(long block) {
        return region.get(JAVA_INT, block + LOCK_USERS);
    }

    void lockUsers(long block, int users) {
        region.set(JAVA_INT, block + LOCK_USERS, users);
    }

    Record record(long block) {
        return new Record(region.get(JAVA_LONG, block + LOCK), region.get(JAVA_LONG, block + FINGERPRINT),
                region.get(JAVA_LONG, block + LENGTH));
    }
}
