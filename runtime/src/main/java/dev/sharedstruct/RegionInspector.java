package dev.sharedstruct;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import dev.sharedstruct.internal.region.Allocator;
import dev.sharedstruct.internal.region.BlockHeader;
import dev.sharedstruct.internal.region.Directory;
import dev.sharedstruct.internal.region.IntentLog;
import dev.sharedstruct.internal.region.Liveness;
import dev.sharedstruct.internal.region.RegionGuard;
import dev.sharedstruct.internal.region.RegionHeader;

/**
 * A read-only look into a region for tools (the {@code sharedstruct} command): its named objects,
 * lock cells and blocks, read <em>raw</em>: without the region lock, so that a tool never waits
 * for (or wedges) the processes it watches. Values may therefore be mid-update, and a walk that
 * meets a block or entry being written is retried a few times before the region is called corrupt.
 * Every offset and size read is checked, as the runtime itself checks them.
 *
 * <p>Only {@link #remove} changes the region, under the region lock taken with a timeout.
 */
public final class RegionInspector {
    /** Walks retried when they meet a half-written block or entry (another process allocating). */
    private static final int ATTEMPTS = 5;
    private static final long LOCK_BYTES = SharedLock.CELL.byteSize();
    private static final long REGION_LOCK = RegionHeader.LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("lock"));

    private final SharedMemory memory;
    private final MemorySegment region;
    private final RegionHeader header;
    private final Allocator allocator;
    private final Directory directory;
    private final BlockHeader blockHeaders;

    private RegionInspector(SharedMemory memory) {
        this.memory = memory;
        this.region = memory.segment();
        this.header = new RegionHeader(region);
        // Read-only: the inspector walks and reads; it never allocates, frees or logs an intent.
        IntentLog intent = new IntentLog(header);
        this.allocator = new Allocator(region, header, intent, memory.path().toString());
        this.directory = new Directory(region, header, allocator, intent, memory.path().toString());
        this.blockHeaders = new BlockHeader(region);
    }

    /**
     * An inspector of an open region; it reads the region as it is at each call.
     *
     * @param memory an open region
     * @return the inspector
     */
    public static RegionInspector of(SharedMemory memory) {
        return new RegionInspector(Objects.requireNonNull(memory, "memory"));
    }

    /**
     * One named object.
     *
     * @param name its name
     * @param kind {@code struct}, {@code struct array}, {@code primitive array}, {@code string} or {@code value}
     * @param type the interface's binary name, or the typecode ({@code 'd' double})
     * @param length elements of an array, 1 otherwise
     * @param size bytes of the object itself (its own lock cell not counted)
     * @param offset where the object starts in the region
     * @param lock its lock cell's state, or null when it is raw
     * @param layout the stored layout text (for structs), or the C type
     * @param fingerprint the layout fingerprint a struct is checked against (FORMAT.md §6), or the
     *     typecode's character for primitives
     */
    public record NamedObject(String name, String kind, String type, int length, long size, long offset, LockState lock,
            String layout, long fingerprint) {

        /**
         * The typecode of a primitive array or value; empty for structs.
         *
         * @return the typecode, or empty for structs
         */
        public Optional<TypeCode<?, ?, ?>> typeCode() {
            return TypeCode.named(type);
        }

        /**
         * The stored layout of a struct or struct array, read; empty for primitives.
         *
         * @return the layout, or empty
         */
        public Optional<StoredLayout> storedLayout() {
            return kind.startsWith("struct") ? Optional.of(StoredLayout.parse(layout)) : Optional.empty();
        }
    }

    /**
     * How the region's space is used, from a walk over every block.
     *
     * @param size the region's bytes, header included
     * @param used bytes in allocated blocks, their headers included
     * @param free bytes in free blocks and in the never-allocated tail
     * @param largestFree the largest payload one allocation could get now
     * @param freeBlocks free blocks (the tail not counted)
     * @param blocksByKind allocated blocks per kind name
     * @param bytesByKind bytes of allocated blocks per kind name
     * @param namedObjects entries in the directory
     */
    public record BlockStats(long size, long used, long free, long largestFree, long freeBlocks, Map<String, Long> blocksByKind,
            Map<String, Long> bytesByKind, int namedObjects) {

        /**
         * 0 when all free space is one piece; towards 1 as it is split into pieces too small to use.
         *
         * @return a number from 0 to 1
         */
        public double fragmentation() {
            return free == 0 ? 0 : 1 - (double) largestFree / free;
        }
    }

    /**
     * The region's file.
     *
     * @return the file
     */
    public Path path() {
        return memory.path();
    }

    /**
     * The region's size in bytes, header included.
     *
     * @return the size in bytes
     */
    public long size() {
        return region.byteSize();
    }

    /**
     * The version of the region's format (docs/FORMAT.md) that its header records.
     *
     * @return the format version
     */
    public int formatVersion() {
        memory.checkOpen();
        return header.formatVersion();
    }

    /**
     * Every named object, newest first.
     *
     * @return the named objects, newest first
     */
    public List<NamedObject> namedObjects() {
        return retried(() -> {
            List<NamedObject> objects = new ArrayList<>();
            for (Directory.Entry entry : directory.entries()) {
                objects.add(describe(entry));
            }
            return objects;
        });
    }

    /**
     * The object named {@code name}, if there is one.
     *
     * @param name the object's name
     * @return the object, or empty
     */
    public Optional<NamedObject> find(String name) {
        Directory.checkName(name);
        return retried(() -> directory.find(name).map(this::describe));
    }

    /**
     * A read-only view of the object's bytes as they are now (not a copy: they change as others write).
     *
     * @param object an object of this region, from {@link #namedObjects()} or {@link #find(String)}
     * @return a read-only view of the object's memory
     */
    public MemorySegment contents(NamedObject object) {
        Objects.requireNonNull(object, "object");
        if (object.offset() < RegionHeader.DATA_START || object.size() < 0 || object.offset() + object.size() > header.top()) {
            throw new InvalidRegionException("object \"" + object.name() + "\" at offset " + object.offset() + " with "
                    + object.size() + " bytes lies outside the allocated part of " + memory.path());
        }
        return region.asSlice(object.offset(), object.size()).asReadOnly();
    }

    /**
     * Every lock cell: the region's, each object's own, and each shared lock, with what uses it.
     *
     * @return the lock cells' states
     */
    public List<LockState> locks() {
        return retried(() -> {
            Map<Long, List<String>> users = new LinkedHashMap<>();
            for (Directory.Entry entry : directory.entries()) {
                users.computeIfAbsent(entry.placement().lock(), k -> new ArrayList<>()).add("\"" + entry.name() + "\"");
            }
            List<LockState> locks = new ArrayList<>();
            locks.add(LockState.read(region, REGION_LOCK, 0, "region (allocator and directory)"));
            walk(block -> {
                short kind = blockHeaders.kind(block);
                long payload = block + Allocator.HEADER;
                if (blockHeaders.size(block) - Allocator.HEADER < SharedLock.CELL.byteSize()) {
                    return; // too small for a lock cell: no lock, whatever its kind says (verify reports such a block)
                }
                List<String> usedBy = users.getOrDefault(payload, List.of());
                long conditionOf = kind == Allocator.Kind.LOCK
                        ? SharedCondition.lockOffsetOf(region.asSlice(payload, SharedLock.CELL.byteSize())) : -1;
                if (conditionOf >= 0) {
                    locks.add(LockState.read(region, payload, allocator.generationOf(payload), "condition of the lock at offset " + conditionOf));
                } else if (kind == Allocator.Kind.LOCK) {
                    locks.add(LockState.read(region, payload, allocator.generationOf(payload), "shared lock" + (usedBy.isEmpty() ? "" : " of " + String.join(", ", usedBy))));
                } else if ((kind & Allocator.Kind.OWN_LOCK) != 0) {
                    locks.add(LockState.read(region, payload, allocator.generationOf(payload), usedBy.isEmpty() ? "own lock of an unnamed " + kindName(kind)
                            : "own lock of " + String.join(", ", usedBy)));
                }
            });
            return locks;
        });
    }

    /**
     * Space use, from a walk over every block.
     *
     * @return the space use
     */
    public BlockStats blocks() {
        return retried(() -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            Map<String, Long> bytes = new LinkedHashMap<>();
            long[] totals = new long[4]; // used, free in blocks, largest free payload, free blocks
            walk(block -> {
                long size = blockHeaders.size(block);
                if (blockHeaders.state(block) == BlockHeader.FREE) {
                    totals[1] += size;
                    totals[2] = Math.max(totals[2], size - Allocator.HEADER);
                    totals[3]++;
                } else {
                    String kind = kindName(blockHeaders.kind(block));
                    totals[0] += size;
                    counts.merge(kind, 1L, Long::sum);
                    bytes.merge(kind, size, Long::sum);
                }
            });
            long tail = region.byteSize() - header.top();
            long largest = Math.max(totals[2], Math.max(0, tail - Allocator.HEADER));
            return new BlockStats(region.byteSize(), totals[0], totals[1] + tail, largest, totals[3], counts, bytes,
                    directory.entries().size());
        });
    }

    /**
     * Frees the object named {@code name} and its name, refusing (changing nothing) when its lock
     * is held or waited for. Takes the region lock, waiting at most {@code timeout} for it, and the
     * object's own lock without waiting. Whether another process still has a view of the object
     * without holding its lock cannot be known; such a view must not be used afterwards.
     *
     * @param name the object's name
     * @param timeout how long to wait for the object's lock and the region's lock
     * @throws IllegalArgumentException if there is no object of that name
     * @throws IllegalStateException when refused; the message says why
     */
    public void remove(String name, Duration timeout) {
        Directory.checkName(name);
        Objects.requireNonNull(timeout, "timeout");
        memory.checkOpen();
        // The runtime's region lock, not a SharedLock of its own: taken over from a dead holder,
        // it repairs what that holder left half-done before anything here reads or frees.
        RegionGuard regionLock = memory.regionGuard();
        boolean locked;
        try {
            locked = regionLock.tryLock(nanos(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the region lock of " + memory.path(), e);
        }
        if (!locked) {
            throw new IllegalStateException("the region lock of " + memory.path() + " is "
                    + LockState.read(region, REGION_LOCK, 0, "region").summary()
                    + " and was not released within " + timeout.toMillis() + " ms; nothing was changed");
        }
        try {
            Directory.Entry entry = directory.find(name).orElseThrow(() -> new IllegalArgumentException(
                    "no object named \"" + name + "\" in " + memory.path()));
            Placement placement = entry.placement();
            allocator.kindAt(placement.block(), placement.generation());
            long lockCell = allocator.recordAt(placement.block()).lock();
            if (lockCell == 0) {
                free(placement.block(), lockCell);
                return;
            }
            if (lockCell != placement.block()) {
                freeHoldingSharedLock(name, placement.block(), lockCell);
                return;
            }
            int users = allocator.lockUsers(placement.block());
            if (users > 0) {
                throw new IllegalStateException("\"" + name + "\" is in use: its lock guards " + users + " other object"
                        + (users == 1 ? "" : "s") + " made with it; nothing was changed");
            }
            LockState lock = LockState.read(region, lockCell, placement.generation(), name);
            if (lock.held() || lock.waiters() > 0) {
                throw new IllegalStateException("\"" + name + "\" is in use: its lock is " + lock.summary()
                        + (lock.waiters() > 0 ? " with " + lock.waiters() + " waiting" : "") + "; nothing was changed");
            }
            // Hold its lock while freeing, so nobody takes it between the look above and the free,
            // and (as SharedMemory.free) refuse a waiter that registered since that look.
            SharedLock own = SharedLock.inBlock(memory, region, placement.lock(), new Liveness(region, placement));
            if (!own.claimForFree()) {
                throw new IllegalStateException("\"" + name + "\" is in use: its lock was just taken or waited for;"
                        + " nothing was changed");
            }
            // Not released: freeing reuses the cell's memory.
            free(placement.block(), lockCell);
        } finally {
            regionLock.unlock();
        }
    }

    /**
     * Frees an object made with another object's lock or a separate one, holding that lock (not
     * waited for: this thread holds the region lock, which its holder may wait for), as
     * {@code SharedMemory.free} does: a holder in any process checks under that lock that the
     * object is live before each access, which holds only while nobody frees it in between.
     */
    private void freeHoldingSharedLock(String name, long block, long lockCell) {
        allocator.requireLockCell(lockCell);
        SharedLock shared = SharedLock.inBlock(memory, region, lockCell,
                new Liveness(region, lockCell, allocator.generationOf(lockCell)));
        if (!shared.tryLock()) {
            throw new IllegalStateException("\"" + name + "\" is in use: the lock it was made with (offset " + lockCell
                    + ") is held, by process " + shared.ownerPid() + "; nothing was changed");
        }
        try {
            free(block, lockCell);
        } finally {
            shared.unlock();
        }
    }

    /** {@code timeout} in nanoseconds; one too long to count so (ChronoUnit.FOREVER's) is waited for without end. */
    private static long nanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    /**
     * Frees a named object's block and name; an object made with a shared lock stops counting as
     * its user. The removal is recorded while it runs and its record ended after it, as
     * {@code SharedMemory.free} does: a record left behind would be rolled forward by the repair
     * after the next dead region-lock holder, freeing whatever lives at its offsets by then.
     */
    private void free(long block, long lockCell) {
        try {
            directory.removeBlock(block);
            if (lockCell != 0 && lockCell != block) {
                allocator.addLockUser(lockCell, -1);
            }
            allocator.free(block);
        } finally {
            directory.finishRemoval();
        }
    }

    private NamedObject describe(Directory.Entry entry) {
        Identity identity = entry.identity();
        Placement placement = entry.placement();
        allocator.kindAt(placement.block(), placement.generation());
        long payload = allocator.payloadSize(placement.block());
        long own = placement.object() - placement.block();
        if (own != 0 && own != LOCK_BYTES) {
            throw new InvalidRegionException("the directory entry \"" + entry.name() + "\" of " + memory.path() + " is corrupt");
        }
        long size = objectSize(identity, entry.layout(), payload - own);
        LockState lock = placement.lock() == 0 ? null : LockState.read(region, checkedLock(placement.lock(), entry.name()), allocator.generationOf(placement.lock()),
                placement.lock() == placement.block() ? "own lock of \"" + entry.name() + "\"" : "shared lock");
        return new NamedObject(entry.name(), kindOf(identity), identity.typeName(), identity.length(), size, placement.object(), lock,
                entry.layout(), identity.fingerprint());
    }

    private long checkedLock(long offset, String name) {
        if (offset < RegionHeader.DATA_START || offset % 8 != 0 || offset + LOCK_BYTES > header.top()) {
            throw new InvalidRegionException("the lock of \"" + name + "\" in " + memory.path() + " is at offset " + offset
                    + ", outside the allocated part of the region");
        }
        return offset;
    }

    /** The object's bytes from its type and length; never more than its block holds. */
    private long objectSize(Identity identity, String layout, long room) {
        long size = room;
        Optional<TypeCode<?, ?, ?>> code = TypeCode.named(identity.typeName());
        if (code.isPresent()) {
            size = (long) code.get().size() * Math.max(1, identity.length());
        } else if (identity.kind() == Allocator.Kind.STRUCT || identity.kind() == Allocator.Kind.STRUCT_ARRAY) {
            int sizeAt = layout.lastIndexOf("size=");
            if (sizeAt >= 0) {
                String digits = layout.substring(sizeAt + 5).split(";")[0];
                try {
                    size = Math.multiplyExact(Long.parseLong(digits), Math.max(1, identity.length()));
                } catch (NumberFormatException e) {
                    size = room;
                } catch (ArithmeticException wrapped) {
                    size = Long.MAX_VALUE; // more than any block: refused below, never wrapped into range
                }
            }
        }
        if (size < 0 || size > room) {
            throw new InvalidRegionException("an object of " + memory.path() + " claims " + size + " bytes in a block of " + room);
        }
        return size;
    }

    private static String kindOf(Identity identity) {
        return switch (identity.kind()) {
            case Allocator.Kind.STRUCT -> "struct";
            case Allocator.Kind.STRUCT_ARRAY -> "struct array";
            case Allocator.Kind.PRIMITIVE_ARRAY -> identity.typeName().equals(TypeCode.CHAR.name()) ? "string" : "primitive array";
            case Allocator.Kind.PRIMITIVE_VALUE -> "value";
            default -> "kind " + identity.kind();
        };
    }

    private static String kindName(short kind) {
        return switch (kind & ~Allocator.Kind.OWN_LOCK) {
            case Allocator.Kind.LOCK -> "lock";
            case Allocator.Kind.STRUCT -> "struct";
            case Allocator.Kind.STRUCT_ARRAY -> "struct array";
            case Allocator.Kind.PRIMITIVE_ARRAY -> "primitive array";
            case Allocator.Kind.PRIMITIVE_VALUE -> "value";
            case Allocator.Kind.DIRECTORY_ENTRY -> "directory entry";
            case Allocator.Kind.TEXT -> "layout text";
            case Allocator.Kind.INDEX -> "name index";
            case Allocator.Kind.STARTS -> "block-start map";
            default -> "kind " + kind;
        };
    }

    /** Visits every block from the data start to the top; each step is checked and moves forward. */
    private void walk(LongConsumer visitor) {
        long top = header.top();
        if (top < RegionHeader.DATA_START || top > region.byteSize()) {
            throw new InvalidRegionException("the top of " + memory.path() + " is " + top + ", outside the region");
        }
        for (long block = RegionHeader.DATA_START; block < top; ) {
            long size = block + Allocator.MIN_BLOCK <= top ? blockHeaders.size(block) : -1;
            short state = size < 0 ? 0 : blockHeaders.state(block);
            if (size < Allocator.MIN_BLOCK || size % Allocator.ALIGNMENT != 0 || size > top - block
                    || (state != BlockHeader.ALLOCATED && state != BlockHeader.FREE)) {
                throw new InvalidRegionException("the block at offset " + block + " of " + memory.path()
                        + " is corrupt (size " + size + ", state " + state + ")");
            }
            visitor.accept(block);
            block += size;
        }
    }

    /** Runs a raw walk again when it met something another process was writing at that moment. */
    private <T> T retried(Supplier<T> walk) {
        memory.checkOpen();
        for (int attempt = 1; ; attempt++) {
            try {
                return walk.get();
            } catch (InvalidRegionException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
