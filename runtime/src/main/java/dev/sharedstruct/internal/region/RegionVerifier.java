package dev.sharedstruct.internal.region;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.Placement;
import dev.sharedstruct.RegionReport;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.internal.lock.ThreadToken;

/**
 * Checks every invariant of a region's metadata, reading only, for {@link SharedMemory#verify()};
 * the caller holds the region lock. The invariants:
 * <ul>
 *   <li>the blocks tile {@code [DATA_START, top)} exactly, each with a valid size and state, and
 *       no allocated block has generation 0 (a free cut short, which the repair completes);</li>
 *   <li>the free bins hold exactly the free blocks of the tiling, each once, in the bin of its
 *       size, with back links that mirror the forward ones and a bin map that agrees; no two free
 *       blocks are adjacent (freed blocks merge), none ends at the top;</li>
 *   <li>every block's boundary tag ({@code prev_size}) is the size of the block below it, and the
 *       header's {@code last_size} that of the last block;</li>
 *   <li>the block-start map marks exactly the allocated blocks;</li>
 *   <li>the directory's back links, hashes, name index and entry count agree with its entry
 *       chain, and each named block records its entry;</li>
 *   <li>{@code free_bytes} equals the bytes in free blocks; no named-object operation is pending;</li>
 *   <li>each directory entry names a live block of its kind, with its lock cell where the kind
 *       says, and a layout text block; names are unique;</li>
 *   <li>each lock cell is sane: counts not negative, no extra holds on a free lock;</li>
 *   <li>each LOCK block's use count equals the objects whose block record names it.</li>
 * </ul>
 */
public final class RegionVerifier {
    private static final long LOCK_BYTES = SharedLock.CELL.byteSize();

    private final MemorySegment region;
    private final RegionHeader header;
    private final Allocator allocator;
    private final Directory directory;
    private final long regionLockCell;

    public RegionVerifier(MemorySegment region, RegionHeader header, Allocator allocator, Directory directory) {
        this.region = region;
        this.header = header;
        this.allocator = allocator;
        this.directory = directory;
        this.regionLockCell = header.lockCell().address() - region.address();
    }

    public RegionReport verify() {
        Set<String> problems = new LinkedHashSet<>();
        Map<Long, long[]> free = new TreeMap<>();       // payload -> {size}
        Map<Long, long[]> allocated = new TreeMap<>();  // payload -> {size, kind}
        long[] previous = {0, 0};                        // {payload, free ? 1 : 0}
        long[] lastEnd = {RegionHeader.DATA_START};
        long[] below = {0};
        try {
            allocator.forEachBlock((payload, size, isFree, kind) -> {
                if (allocator.prevSizeAt(payload) != below[0]) {
                    problems.add("the block at " + payload + " records " + allocator.prevSizeAt(payload)
                            + " as the size of the block below it, which has " + below[0]);
                }
                below[0] = size;
                if (isFree) {
                    if (previous[1] == 1) {
                        problems.add("free blocks at " + previous[0] + " and " + payload + " are adjacent but not merged");
                    }
                    free.put(payload, new long[] {size});
                } else {
                    if (allocator.generationOf(payload) == 0) {
                        // Only a kill between a free's two header stores leaves one, and the repair
                        // the next holder of the region lock runs completes it: none is left under the lock.
                        problems.add("the block at " + payload + " is allocated with generation 0, what a free cut short"
                                + " leaves: its free was not completed (lost memory)");
                    }
                    if (!allocator.startMarked(payload)) {
                        problems.add("the block-start map does not mark the allocated block at " + payload
                                + " (handles and frees of its object are refused)");
                    }
                    allocated.put(payload, new long[] {size, kind});
                }
                previous[0] = payload;
                previous[1] = isFree ? 1 : 0;
                lastEnd[0] = payload - Allocator.HEADER + size;
            });
            if (previous[1] == 1) {
                problems.add("the free block at " + previous[0] + " ends at the top " + header.top() + " but was not given back to it");
            }
            long marked = allocator.startsMarked();
            if (marked > allocated.size()) {
                problems.add("the block-start map marks " + marked + " block starts, but " + allocated.size()
                        + " blocks are allocated: it marks offsets where no allocated block starts");
            }
            if (allocator.lastSize() != below[0]) {
                problems.add("the header records " + allocator.lastSize() + " as the size of the last block, which has " + below[0]);
            }
        } catch (InvalidRegionException e) {
            problems.add(e.getMessage());
        }
        long freeInBlocks = 0;
        for (long[] size : free.values()) {
            freeInBlocks += size[0];
        }
        checkFreeList(problems, free);
        if (header.freeBytes() != freeInBlocks) {
            problems.add("the header counts " + header.freeBytes() + " bytes in free blocks, the blocks hold " + freeInBlocks);
        }
        if (header.intent() != IntentLog.NONE) {
            problems.add("a named-object operation (" + header.intent() + ") is recorded as in progress, though no one holds the region lock");
        }
        int named = checkDirectory(problems, allocated);
        try {
            directory.checkIndex(problems);
        } catch (InvalidRegionException e) {
            problems.add(e.getMessage());
        }
        checkLocks(problems, allocated);
        checkLockUsers(problems, allocated);
        long used = 0;
        for (long[] block : allocated.values()) {
            used += block[0];
        }
        long freeBytes = freeInBlocks + region.byteSize() - header.top();
        return new RegionReport(problems.isEmpty(), new ArrayList<>(problems), used, freeBytes, allocated.size(), named);
    }

    private void checkFreeList(Set<String> problems, Map<Long, long[]> free) {
        Set<Long> listed = new HashSet<>();
        try {
            for (long[] block : allocator.binnedBlocks(free.size())) {
                if (!listed.add(block[0])) {
                    problems.add("the free block at " + block[0] + " is in the free bins twice");
                }
                long[] tiled = free.get(block[0]);
                if (tiled == null) {
                    problems.add("free bin " + block[2] + " names " + block[0] + ", which is not a free block of the tiling");
                } else if (tiled[0] != block[1]) {
                    problems.add("the free block at " + block[0] + " has size " + block[1] + " in its bin but " + tiled[0] + " in the tiling");
                }
            }
        } catch (InvalidRegionException e) {
            problems.add(e.getMessage());
            return;
        }
        for (long payload : free.keySet()) {
            if (!listed.contains(payload)) {
                problems.add("the free block at " + payload + " is missing from the free bins (lost)");
            }
        }
    }

    private int checkDirectory(Set<String> problems, Map<Long, long[]> allocated) {
        int[] count = {0};
        Set<String> names = new HashSet<>();
        try {
            directory.forEach(entry -> {
                count[0]++;
                if (!names.add(entry.name())) {
                    problems.add("the name \"" + entry.name() + "\" is in the directory twice");
                }
                Placement placement = entry.placement();
                long[] block = allocated.get(placement.block());
                if (block == null) {
                    problems.add("\"" + entry.name() + "\" names offset " + placement.block() + ", which is no allocated block");
                    return;
                }
                short kind = (short) block[1];
                boolean ownsLock = (kind & Allocator.Kind.OWN_LOCK) != 0;
                if ((kind & ~Allocator.Kind.OWN_LOCK) != entry.identity().kind()) {
                    problems.add("\"" + entry.name() + "\" is recorded as kind " + entry.identity().kind() + ", its block holds kind " + kind);
                }
                if (allocator.generationOf(placement.block()) != placement.generation()) {
                    problems.add("\"" + entry.name() + "\" records generation " + placement.generation() + " of block " + placement.block()
                            + ", which now has generation " + allocator.generationOf(placement.block()));
                }
                if (placement.object() != placement.block() + (ownsLock ? LOCK_BYTES : 0)) {
                    problems.add("\"" + entry.name() + "\" places its object at " + placement.object() + ", not where block "
                            + placement.block() + " holds it");
                }
                if (placement.lock() != 0 && placement.lock() != placement.block()) {
                    long[] lock = allocated.get(placement.lock());
                    if (lock == null || lock[1] != Allocator.Kind.LOCK) {
                        problems.add("\"" + entry.name() + "\" names a lock at " + placement.lock() + ", which is no lock block");
                    }
                } else if (placement.lock() == placement.block() && !ownsLock) {
                    problems.add("\"" + entry.name() + "\" uses a lock cell in block " + placement.block() + ", which has none");
                }
            });
        } catch (InvalidRegionException | IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return count[0];
    }

    private void checkLocks(Set<String> problems, Map<Long, long[]> allocated) {
        checkLockCell(problems, regionLockCell, 0, "the region lock");
        for (Map.Entry<Long, long[]> block : allocated.entrySet()) {
            short kind = (short) block.getValue()[1];
            if (kind == Allocator.Kind.LOCK || (kind & Allocator.Kind.OWN_LOCK) != 0) {
                checkLockCell(problems, block.getKey(), allocator.generationOf(block.getKey()), "the lock at " + block.getKey());
            }
        }
    }

    /** Each LOCK block's use count equals the number of allocated objects whose record names it. */
    private void checkLockUsers(Set<String> problems, Map<Long, long[]> allocated) {
        Map<Long, Integer> users = new TreeMap<>();
        for (Map.Entry<Long, long[]> block : allocated.entrySet()) {
            if (block.getValue()[1] == Allocator.Kind.LOCK) {
                users.putIfAbsent(block.getKey(), 0);
                continue;
            }
            long lock = allocator.recordAt(block.getKey()).lock();
            if (lock != 0 && lock != block.getKey()) {
                long[] lockBlock = allocated.get(lock);
                if (lockBlock == null || lockBlock[1] != Allocator.Kind.LOCK) {
                    problems.add("the object at " + block.getKey() + " records a lock at " + lock + ", which is no lock block");
                } else {
                    users.merge(lock, 1, Integer::sum);
                }
            }
        }
        for (Map.Entry<Long, Integer> lock : users.entrySet()) {
            int recorded = allocator.lockUsers(lock.getKey());
            if (recorded != lock.getValue()) {
                problems.add("the lock at " + lock.getKey() + " counts " + recorded + " users, " + lock.getValue() + " objects use it");
            }
        }
    }

    /**
     * owner and extra_holds (offsets 0, 8), read owner-extra-owner so that a claim in between is
     * not a false alarm. Not waiters: its two halves (count generation, count) are valid whatever
     * they hold (docs/LOCK.md), and read as one int it is negative for every count generation
     * from 32768 on, which cells of late block generations start with.
     */
    private void checkLockCell(Set<String> problems, long cell, long generation, String what) {
        long free = ThreadToken.free(generation);
        long owner = region.get(JAVA_LONG, cell);
        int extra = region.get(JAVA_INT, cell + 8);
        long ownerAgain = region.get(JAVA_LONG, cell);
        if (extra < 0) {
            problems.add(what + " has a negative count of extra holds (" + extra + ")");
        } else if (owner == free && ownerAgain == free && extra != 0) {
            problems.add(what + " is free but records " + extra + " extra holds");
        }
    }
}
