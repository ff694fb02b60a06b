package dev.sharedstruct.internal.region;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.internal.lock.ThreadToken;

/**
 * The header at offset 0 of every region file, so that another process (or a C or Python
 * program) can recognise the file and find what is in it:
 * <pre>
 * struct region_header {               // DATA_START (1280) bytes reserved
 *     uint64_t magic;                  //   0  "SHSTRUCT"
 *     int32_t  format_version;         //   8  4
 *     int32_t  ready;                  //  12  1 once the creator has initialised the region
 *     int64_t  size;                   //  16  bytes in the region, header included
 *     int64_t  region_id;              //  24  random; handles name it
 *     struct shared_lock lock;         //  32  guards the allocator and the directory
 *     int64_t  top;                    //  64  first offset never allocated
 *     int64_t  last_size;              //  72  size of the block that ends at top (0 = none): top's boundary tag
 *     int64_t  free_bytes;             //  80  bytes in free blocks
 *     int64_t  directory;              //  88  newest named-object entry; 0 = none
 *     int64_t  creator_pid;            //  96
 *     int64_t  generations;            // 104  allocations so far: each block's generation
 *     int64_t  intent;                 // 112  name operation in progress: 0 none, 1 add, 2 remove
 *     int64_t  intent_blocks[3];       // 120  payloads it allocated (add) or frees (remove)
 *     int64_t  index;                  // 144  payload of the INDEX block: bucket heads of the name index
 *     int64_t  index_buckets;          // 152  a power of two
 *     int64_t  index_entries;          // 160  names in the directory
 *     uint64_t bin_map[2];             // 168  bit b set when free bin b is not empty
 *     int64_t  repair_requested;       // 184  1: a peer took the region lock over from a dead owner without repairing
 *     int64_t  starts;                 // 192  payload of the STARTS block: where allocated blocks start (DATA_START + 64)
 *     (reserved)                       // 200
 *     int64_t  bins[128];              // 256  first free block of each size bin; 0 = empty
 * };                                   // 1280 = DATA_START
 * </pre>
 * Every offset is relative to the start of the region: no addresses are ever stored.
 */
public final class RegionHeader {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("magic"),
            JAVA_INT.withName("format_version"),
            JAVA_INT.withName("ready"),
            JAVA_LONG.withName("size"),
            JAVA_LONG.withName("region_id"),
            SharedLock.CELL.withName("lock"),
            JAVA_LONG.withName("top"),
            JAVA_LONG.withName("last_size"),
            JAVA_LONG.withName("free_bytes"),
            JAVA_LONG.withName("directory"),
            JAVA_LONG.withName("creator_pid"),
            JAVA_LONG.withName("generations"),
            JAVA_LONG.withName("intent"),
            MemoryLayout.sequenceLayout(IntentLog.SLOTS, JAVA_LONG).withName("intent_blocks"),
            JAVA_LONG.withName("index"),
            JAVA_LONG.withName("index_buckets"),
            JAVA_LONG.withName("index_entries"),
            MemoryLayout.sequenceLayout(2, JAVA_LONG).withName("bin_map"),
            JAVA_LONG.withName("repair_requested"),
            JAVA_LONG.withName("starts"),
            MemoryLayout.paddingLayout(56),
            MemoryLayout.sequenceLayout(FreeBins.COUNT, JAVA_LONG).withName("bins"));

    /** "SHSTRUCT" read as a little-endian 64-bit integer. */
    static final long MAGIC = 0x5443555254534853L;
    static final int FORMAT_VERSION = 4;
    /** Where allocation starts: right after the header and its free bins. */
    public static final long DATA_START = 1280;

    private static final VarHandle MAGIC_HANDLE = LAYOUT.varHandle(groupElement("magic"));
    private static final VarHandle VERSION = LAYOUT.varHandle(groupElement("format_version"));
    private static final VarHandle READY = LAYOUT.varHandle(groupElement("ready"));
    private static final VarHandle SIZE = LAYOUT.varHandle(groupElement("size"));
    private static final VarHandle REGION_ID = LAYOUT.varHandle(groupElement("region_id"));
    private static final long LOCK_OFFSET = LAYOUT.byteOffset(groupElement("lock"));
    private static final VarHandle TOP = LAYOUT.varHandle(groupElement("top"));
    private static final VarHandle LAST_SIZE = LAYOUT.varHandle(groupElement("last_size"));
    private static final VarHandle FREE_BYTES = LAYOUT.varHandle(groupElement("free_bytes"));
    private static final VarHandle DIRECTORY = LAYOUT.varHandle(groupElement("directory"));
    private static final VarHandle CREATOR_PID = LAYOUT.varHandle(groupElement("creator_pid"));
    private static final VarHandle GENERATIONS = LAYOUT.varHandle(groupElement("generations"));
    private static final VarHandle INTENT = LAYOUT.varHandle(groupElement("intent"));
    private static final long INTENT_BLOCKS = LAYOUT.byteOffset(groupElement("intent_blocks"));
    private static final VarHandle INDEX = LAYOUT.varHandle(groupElement("index"));
    private static final VarHandle INDEX_BUCKETS = LAYOUT.varHandle(groupElement("index_buckets"));
    private static final VarHandle INDEX_ENTRIES = LAYOUT.varHandle(groupElement("index_entries"));
    private static final long BIN_MAP = LAYOUT.byteOffset(groupElement("bin_map"));
    private static final VarHandle REPAIR_REQUESTED = LAYOUT.varHandle(groupElement("repair_requested"));
    private static final long BINS = LAYOUT.byteOffset(groupElement("bins"));
    private static final VarHandle STARTS = LAYOUT.varHandle(groupElement("starts"));

    private final MemorySegment header;

    private static final long LOCK_OWNER_START = SharedLock.CELL.byteOffset(groupElement("owner_start"));

    public RegionHeader(MemorySegment region) {
        this.header = region.asSlice(0, LAYOUT);
    }

    /** Writes a fresh header; {@code ready} is set last, with release semantics, so openers see it whole. */
    public void initialize(long size, long regionId) {
        MAGIC_HANDLE.set(header, 0L, MAGIC);
        VERSION.set(header, 0L, FORMAT_VERSION);
        SIZE.set(header, 0L, size);
        REGION_ID.set(header, 0L, regionId);
        TOP.set(header, 0L, DATA_START);
        CREATOR_PID.set(header, 0L, ThreadToken.PID);
        // The region lock's start time as a new lock cell's (see SharedLock.prepareCell): a first
        // claimant killed before it records its own is not taken for alive when its pid is reused.
        lockCell().set(JAVA_LONG, LOCK_OWNER_START, ThreadToken.START);
        READY.setRelease(header, 0L, 1);
    }

    long magic() {
        return (long) MAGIC_HANDLE.get(header, 0L);
    }

    public int formatVersion() {
        return (int) VERSION.get(header, 0L);
    }

    boolean ready() {
        return (int) READY.getAcquire(header, 0L) == 1;
    }

    long size() {
        return (long) SIZE.get(header, 0L);
    }

    public long regionId() {
        return (long) REGION_ID.get(header, 0L);
    }

    public MemorySegment lockCell() {
        return header.asSlice(LOCK_OFFSET, SharedLock.CELL);
    }

    public long top() {
        return (long) TOP.get(header, 0L);
    }

    public void top(long top) {
        TOP.set(header, 0L, top);
    }

    long lastSize() {
        return (long) LAST_SIZE.get(header, 0L);
    }

    void lastSize(long size) {
        LAST_SIZE.set(header, 0L, size);
    }

    long index() {
        return (long) INDEX.get(header, 0L);
    }

    long indexBuckets() {
        return (long) INDEX_BUCKETS.get(header, 0L);
    }

    /** Set once, by the creator, before the region is published. */
    void index(long payload, long buckets) {
        INDEX.set(header, 0L, payload);
        INDEX_BUCKETS.set(header, 0L, buckets);
    }

    /** The payload of the block-start map ({@link BlockStarts}); set once, by the creator. */
    long starts() {
        return (long) STARTS.get(header, 0L);
    }

    void starts(long payload) {
        STARTS.set(header, 0L, payload);
    }

    long indexEntries() {
        return (long) INDEX_ENTRIES.get(header, 0L);
    }

    void indexEntries(long entries) {
        INDEX_ENTRIES.set(header, 0L, entries);
    }

    /** Word {@code word} (0 or 1) of the map of non-empty bins. */
    long binMap(int word) {
        return header.get(JAVA_LONG, BIN_MAP + 8L * word);
    }

    void binMap(int word, long bits) {
        header.set(JAVA_LONG, BIN_MAP + 8L * word, bits);
    }

    /** The first free block (its header's offset) of bin {@code bin}; 0 when empty. */
    long bin(int bin) {
        return header.get(JAVA_LONG, BINS + 8L * bin);
    }

    void bin(int bin, long block) {
        header.set(JAVA_LONG, BINS + 8L * bin, block);
    }

    long freeBytes() {
        return (long) FREE_BYTES.get(header, 0L);
    }

    void freeBytes(long bytes) {
        FREE_BYTES.set(header, 0L, bytes);
    }

    long directory() {
        return (long) DIRECTORY.get(header, 0L);
    }

    void directory(long offset) {
        DIRECTORY.set(header, 0L, offset);
    }

    /**
     * Whether a C or Python peer, which only reads the metadata, took the region lock over from a
     * dead owner: the repair that takeover called for is then still owed, and the next Java
     * process to take the region lock performs it (docs/FORMAT.md §4.5).
     */
    boolean repairRequested() {
        return (long) REPAIR_REQUESTED.getAcquire(header, 0L) != 0;
    }

    /**
     * Marks a repair as owed until {@link #repairDone()}: the repairer's first store, so that a
     * repair that fails (a corrupt region) or is killed is owed to the next holder of the region
     * lock too, whoever took the lock over; and peers, seeing it, find names without the index.
     */
    void repairOwed() {
        REPAIR_REQUESTED.setRelease(header, 0L, 1L);
    }

    /** Marks the repair a peer left owed as done; called by the repairer, last. */
    void repairDone() {
        REPAIR_REQUESTED.setRelease(header, 0L, 0L);
    }
    long intent() {
        return (long) INTENT.getAcquire(header, 0L);
    }

    /**
     * Sets the operation in progress: a release store, so the slots written before it are seen
     * first, followed by a store-store fence, so it is seen before the changes that follow it.
     * (A process killed by a signal loses no completed store; only their order matters.)
     */
    void intent(long operation) {
        INTENT.setRelease(header, 0L, operation);
        VarHandle.storeStoreFence();
    }

    long intentBlock(int slot) {
        return header.get(JAVA_LONG, INTENT_BLOCKS + 8L * slot);
    }

    void intentBlock(int slot, long payload) {
        header.set(JAVA_LONG, INTENT_BLOCKS + 8L * slot, payload);
    }

    /** The generation of the last block allocated (0 before the first). */
    long lastGeneration() {
        return (long) GENERATIONS.get(header, 0L);
    }

    /** The next block generation; called under the region lock. */
    long nextGeneration() {
        long next = (long) GENERATIONS.get(header, 0L) + 1;
        if (next <= 0) {
            // 2^63 allocations take centuries; a counter there was written by something else.
            throw new InvalidRegionException("the region's generation counter is " + (next - 1) + ": the region is corrupt");
        }
        GENERATIONS.set(header, 0L, next);
        return next;
    }
}
