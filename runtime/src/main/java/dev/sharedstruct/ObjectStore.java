package dev.sharedstruct;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.nio.file.Path;
import dev.sharedstruct.internal.StructType;
import dev.sharedstruct.internal.region.Allocator;
import dev.sharedstruct.internal.region.BlockHeader;
import dev.sharedstruct.internal.region.Directory;
import dev.sharedstruct.internal.region.Liveness;
import dev.sharedstruct.internal.region.ObjectScopes;
import dev.sharedstruct.internal.region.RegionFault;
import dev.sharedstruct.internal.region.RegionGuard;

/**
 * Makes the Java views of a region's objects: allocates their blocks (with a lock cell in front
 * when an object owns its lock), and checks every placement that comes from outside (a handle,
 * a directory entry) against a live block of the right kind and size before a view is made.
 */
final class ObjectStore {
    private static final long LOCK_BYTES = SharedLock.CELL.byteSize();

    private final SharedMemory memory;
    private final MemorySegment region;
    private final Allocator allocator;
    private final RegionGuard regionLock;
    private final Path path;
    private final ObjectScopes scopes = new ObjectScopes();

    ObjectStore(SharedMemory memory, MemorySegment region, Allocator allocator, RegionGuard regionLock, Path path) {
        this.memory = memory;
        this.region = region;
        this.allocator = allocator;
        this.regionLock = regionLock;
        this.path = path;
    }

    /**
     * Zeroed memory for an object, with its own lock cell in front when {@code ownLock}, else
     * locked by {@code shared} (counted as one more user of it) or raw. The block records the
     * lock, fingerprint and length, which every later handle or directory entry must match.
     */
    <T> T place(ObjectSpec<T> spec, boolean ownLock, SharedLock shared) {
        long lockBytes = ownLock ? LOCK_BYTES : 0;
        long sharedLock = shared == null ? 0 : offsetOf(shared);
        BlockHeader.Record record = new BlockHeader.Record(ownLock ? BlockHeader.Record.OWN_LOCK : sharedLock,
                spec.fingerprint(), spec.length());
        short kind = (short) (spec.kind() | (ownLock ? Allocator.Kind.OWN_LOCK : 0));
        long block;
        long generation;
        memory.checkOpen();
        regionLock.lock();
        try {
            if (shared != null) {
                requireLiveLock(shared);
            }
            block = allocator.allocate(spec.bytes() + lockBytes, kind, record);
            generation = allocator.generationOf(block);
            if (ownLock) {
                SharedLock.prepareCell(region.asSlice(block, LOCK_BYTES), generation);
            }
            if (shared != null) {
                allocator.addLockUser(sharedLock, 1);
            }
        } catch (RegionFullException e) {
            throw e.asking(spec.bytes());
        } catch (InternalError fault) {
            throw RegionFault.of(path, fault);
        } finally {
            regionLock.unlock();
        }
        Placement placement = new Placement(block, block + lockBytes, ownLock ? block : sharedLock, generation);
        return view(spec, placement, ownLock ? null : shared);
    }

    long allocateBlock(long bytes, short kind) {
        memory.checkOpen();
        regionLock.lock();
        try {
            return allocator.allocate(bytes, kind);
        } catch (InternalError fault) {
            throw RegionFault.of(path, fault);
        } finally {
            regionLock.unlock();
        }
    }

    /**
     * A view of the object at {@code placement}, locked by {@code lock}, or by its own lock when
     * the placement says it owns one (then one {@link Liveness} serves object and lock, which
     * tells the object's accessors that a hold of the lock keeps the object alive).
     */
    private <T> T view(ObjectSpec<T> spec, Placement placement, SharedLock lock) {
        Liveness liveness = new Liveness(region, placement);
        boolean ownsLock = placement.lock() == placement.block();
        MemorySegment segment = scopes.slice(region, placement.block(), placement.generation(), placement.object(), spec.bytes());
        T object = spec.factory().create(memory, segment, ownsLock ? lockCell(placement.block(), liveness) : lock);
        SharedObject shared = (SharedObject) object;
        shared.placement = placement;
        shared.liveness(liveness);
        return object;
    }

    /**
     * The lock cell at the start of the block {@code liveness} watches, in the scope of that
     * block (closed when this process frees it), refusing claims once it is freed by any process.
     */
    private SharedLock lockCell(long block, Liveness liveness) {
        return new SharedLock(memory, scopes.slice(region, block, liveness.generation(), SharedLock.spanOffset(block),
                SharedLock.SPAN_BYTES), liveness);
    }

    /**
     * The lock cell of the LOCK block (or lock-owning object) at {@code block}, refusing a block
     * too small to hold one: a claim writes the whole cell, which must not reach the next block.
     */
    private SharedLock lockCell(long block, long generation) {
        long payload = allocator.payloadSize(block);
        if (payload < LOCK_BYTES) {
            throw new InvalidRegionException("the lock at offset " + block + " of " + path + " is in a block of " + payload
                    + " bytes, too small for a " + LOCK_BYTES + "-byte lock cell: the region is corrupt");
        }
        return lockCell(block, new Liveness(region, block, generation));
    }

    /**
     * A view of an object whose placement came from a handle or the directory: every number is
     * checked against what the object's block records (generation, kind, lock, fingerprint,
     * length), so that a view is made exactly of the object the placement was made for, or refused.
     */
    <T> T checkedView(ObjectSpec<T> spec, Placement placement, String source) {
        short kind = allocator.kindAt(placement.block(), placement.generation());
        BlockHeader.Record record = allocator.recordAt(placement.block());
        boolean ownsLock = (kind & Allocator.Kind.OWN_LOCK) != 0;
        long lockBytes = ownsLock ? LOCK_BYTES : 0;
        if ((kind & ~Allocator.Kind.OWN_LOCK) != spec.kind() || placement.object() != placement.block() + lockBytes
                || spec.bytes() > allocator.payloadSize(placement.block()) - lockBytes
                || record.fingerprint() != spec.fingerprint() || record.length() != spec.length()) {
            throw new InvalidRegionException(source + " names offset " + placement.object() + " of " + path
                    + ", which does not hold a " + spec.typeName() + " of " + spec.length() + " element(s), "
                    + spec.bytes() + " bytes");
        }
        if (placement.lock() != record.lock() || ownsLock != (record.lock() == placement.block())) {
            throw new InvalidRegionException(source + " names " + describeLock(placement.lock()) + " for the object at offset "
                    + placement.object() + " of " + path + ", whose lock is " + describeLock(record.lock()));
        }
        SharedLock lock = null;
        if (!ownsLock && record.lock() != 0) {
            allocator.requireLockCell(record.lock());
            long lockGeneration = allocator.generationOf(record.lock());
            lock = lockCell(record.lock(), lockGeneration);
        }
        return view(spec, placement, lock);
    }

    private static String describeLock(long lock) {
        return lock == 0 ? "no lock (raw)" : "the lock at offset " + lock;
    }

    /** A copy of {@code object}'s content in new memory of this region, in the same form. */
    <T> T copyOf(SharedObject object) {
        MemorySegment content = object.snapshot();   // read before allocating: a failed read must not leak the copy
        @SuppressWarnings("unchecked")
        ObjectSpec<T> spec = (ObjectSpec<T>) object.spec();
        T copy = place(spec, object.lock != null, null);
        MemorySegment.copy(content, 0, ((SharedObject) copy).segment, 0, content.byteSize());
        return copy;
    }

    /** The placement of a whole, live object of this region. */
    Placement requireLive(SharedObject object, String refusal) {
        if (object.memory != memory) {
            throw new IllegalArgumentException("this " + object.kind() + " belongs to "
                    + (object.memory == null ? "no region (it is local)" : memory.describeOther(object.memory)) + ", not to " + path);
        }
        Placement placement = object.placement;
        if (placement == null) {
            throw new IllegalArgumentException("this " + object.kind() + " is a view of part of another object and " + refusal
                    + "; use the whole object");
        }
        memory.checkOpen();
        if (!allocator.isLive(placement.block(), placement.generation())) {
            throw new IllegalStateException("this " + object.kind() + " was freed");
        }
        return placement;
    }

    /**
     * A new array holding copies of {@code values}. Every value is checked and read before the
     * array is allocated: a value refused afterwards would leave behind an array nobody holds.
     */
    <T> SharedArray<T> initialized(Class<T> type, List<? extends T> values, boolean ownLock, SharedLock lock) {
        Objects.requireNonNull(values, "values");
        StructType<T> structType = Structs.type(type);
        List<MemorySegment> sources = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException("values[" + i + "] is null; every element needs a value to copy");
            }
            sources.add(GeneratedStruct.snapshotOf(values.get(i), structType, "values[" + i + "]"));
        }
        SharedArray<T> array = place(ObjectSpec.structArray(structType, values.size()), ownLock, lock);
        long stride = structType.layout().byteSize();
        for (int i = 0; i < sources.size(); i++) {
            // No other thread has the new array yet: nothing to lock.
            MemorySegment.copy(sources.get(i), 0, array.segment, i * stride, stride);
        }
        return array;
    }

    /** A new primitive array holding a copy of {@code values}, a Java array of the typecode's type (checked before allocating). */
    <A extends SharedPrimitiveArray, J> A initialized(TypeCode<A, J, ?> code, J values, boolean ownLock, SharedLock lock) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(values, "values");
        if (values.getClass().componentType() != code.javaType()) {
            throw new IllegalArgumentException("values is a " + values.getClass().getSimpleName() + ", but " + code.name()
                    + " arrays are initialized from a " + code.javaType().getName() + "[]");
        }
        int length = java.lang.reflect.Array.getLength(values);
        A array = place(ObjectSpec.primitiveArray(code, length), ownLock, lock);
        if (values instanceof boolean[] booleans) {
            // MemorySegment.copy has no boolean[] form.
            for (int i = 0; i < length; i++) {
                array.segment.set(ValueLayout.JAVA_BOOLEAN, i, booleans[i]);
            }
        } else {
            MemorySegment.copy(values, 0, array.segment, code.layout(), 0, length);
        }
        return array;
    }

    SharedLock newLock() {
        long block = allocateBlock(LOCK_BYTES, Allocator.Kind.LOCK);
        regionLock.lock();
        long generation;
        try {
            generation = allocator.generationOf(block);
            SharedLock.prepareCell(region.asSlice(block, LOCK_BYTES), generation);
        } finally {
            regionLock.unlock();
        }
        return lockCell(block, generation);
    }

    /** The lock cell allocated at {@code offset}, checked to be one (for conditions found by id). */
    SharedLock lockAt(long offset) {
        if (offset <= 0 || offset % 8 != 0 || offset + LOCK_BYTES > region.byteSize()) {
            throw new IllegalArgumentException("offset " + offset + " names no lock cell of " + path);
        }
        memory.checkOpen();
        regionLock.lock();
        long generation;
        try {
            if (allocator.kindAt(offset) != Allocator.Kind.LOCK) {
                throw new IllegalArgumentException("offset " + offset + " of " + path + " holds no lock cell");
            }
            generation = allocator.generationOf(offset);
        } catch (InvalidRegionException e) {
            throw new IllegalArgumentException("offset " + offset + " names no lock cell of " + path + ": " + e.getMessage(), e);
        } finally {
            regionLock.unlock();
        }
        return lockCell(offset, generation);
    }

    long offsetOf(SharedLock lock) {
        return lock.cell().address() - region.address();
    }

    /**
     * Whether {@code lock}'s cell is still allocated, as a lock or in the object that owns it;
     * under the region lock. Without native access a freed cell that was reallocated is not told
     * apart (see ObjectScopes).
     */
    private boolean isLiveLock(SharedLock lock) {
        if (!lock.cell().scope().isAlive()) {
            return false;
        }
        try {
            allocator.kindAt(offsetOf(lock));
            return true;
        } catch (InvalidRegionException e) {
            return false;
        }
    }

    /** Refuses a lock that was freed; called under the region lock. */
    private void requireLiveLock(SharedLock lock) {
        if (!isLiveLock(lock)) {
            throw new IllegalStateException("the lock at offset " + offsetOf(lock) + " of " + path + " was freed");
        }
    }

    /**
     * Frees a whole object's block, and its name if it has one; or a lock's cell. Refused, with
     * nothing changed, while the object's own lock is held or waited for, while the lock it was
     * made with (another object's, or a separate one) is held by another thread, or while a lock is used
     * by live objects. Every view of the object in this process then throws.
     */
    void free(Object object, Directory directory) {
        if (object instanceof SharedLock lock) {
            freeLock(lock);
            return;
        }
        if (object instanceof SharedCondition condition) {
            freeCondition(condition);
            return;
        }
        SharedObject shared = Structs.shared(object);
        regionLock.lock();
        try {
            Placement placement = requireLive(shared, "cannot be freed");
            BlockHeader.Record record = allocator.recordAt(placement.block());
            String what = "this " + shared.kind() + " (offset " + placement.object() + ")";
            SharedLock ownLock = null;
            SharedLock sharedLock = null;
            if (record.lock() == placement.block()) {
                refuseIfUsed(placement.block(), what);
                ownLock = SharedLock.inBlock(memory, region, placement.block(), shared.liveness());
                claimIdle(ownLock, what);
            } else if (record.lock() != 0) {
                // A word of the block header: checked before its cell is claimed or its count written.
                allocator.requireLockCell(record.lock());
                if (allocator.lockUsers(record.lock()) < 1) {
                    throw new InvalidRegionException("cannot free " + what + ": the lock at offset " + record.lock()
                            + " that it records counts no users: the region is corrupt; nothing was freed");
                }
                sharedLock = holdSharedLock(lockCell(record.lock(), allocator.generationOf(record.lock())), what);
            }
            try {
                try {
                    directory.removeBlock(placement.block());
                    if (sharedLock != null) {
                        allocator.addLockUser(record.lock(), -1);
                    }
                    allocator.free(placement.block());
                } catch (RuntimeException | Error e) {
                    giveBackIfStillAllocated(ownLock, placement.block(), placement.generation());
                    throw e;
                } finally {
                    directory.finishRemoval();
                }
                scopes.close(placement.block());
            } finally {
                if (sharedLock != null) {
                    sharedLock.unlock();
                }
            }
        } finally {
            regionLock.unlock();
        }
    }

    private void freeLock(SharedLock lock) {
        memory.requireOwnLock(lock);
        regionLock.lock();
        try {
            long offset = offsetOf(lock);
            if (!isLiveLock(lock)) {
                throw new IllegalStateException("cannot free the lock at offset " + offset + ": it was freed already");
            }
            if (allocator.kindAt(offset) != Allocator.Kind.LOCK) {
                throw new IllegalArgumentException("this lock belongs to an object; free the object instead");
            }
            refuseIfUsed(offset, "the lock at offset " + offset);
            claimIdle(lock, "the lock at offset " + offset);
            try {
                allocator.free(offset);
            } catch (RuntimeException | Error e) {
                giveBackIfStillAllocated(lock, offset, lock.block.generation());
                throw e;
            }
            scopes.close(offset);
        } finally {
            regionLock.unlock();
        }
    }

    /**
     * Frees a condition's cell, holding the condition's lock unless that was freed: a signal,
     * made under the lock, looks at the cell's generation before it counts the cell's sequence
     * word up, so no signal writes into the cell once it is freed (and its memory perhaps another
     * object's). Its waiters, in any process, are woken first; each finds the condition freed once
     * it has the lock back, and throws.
     */
    private void freeCondition(SharedCondition condition) {
        memory.checkOpen();                 // before the condition's lock, whose message would not say the region is closed
        SharedLock cell = condition.cell();
        if (cell.memory() != memory) {
            throw new IllegalArgumentException(condition.describe() + " lives in " + memory.describeOther(cell.memory())
                    + "; free it through that SharedMemory");
        }
        SharedLock lock = condition.lock();
        boolean held = lockUnlessFreed(lock);
        try {
            // Under the region lock from the look to the free: with the condition's lock freed,
            // nothing else keeps another free of the condition (in any process) from freeing the
            // cell, and the allocator from handing it out again, between this look and the
            // wake-up's write. And a claim of the cell seen here is one a free made (frees claim
            // it only under the region lock, and give it back or free it before they let go) and
            // did not finish: it died holding the region lock, whose takeover repaired the rest.
            // Nobody locks a condition's cell, so nobody else would ever take that claim over.
            regionLock.lock();
            try {
                condition.requireLive("cannot be freed: it was freed already");
                condition.wakeAllForFree();
                if (cell.isLocked()) {
                    cell.cancelFreeClaim();
                }
                freeLock(cell);
            } finally {
                regionLock.unlock();
            }
        } finally {
            if (held) {
                lock.unlock();
            }
        }
    }

    /** Locks {@code lock} and returns true, or returns false when it was freed (in any process). */
    private static boolean lockUnlessFreed(SharedLock lock) {
        try {
            lock.lock();
            return true;
        } catch (IllegalStateException e) {
            if (lock.wasFreed()) {
                return false;
            }
            throw e;
        }
    }

    /** Refuses to free a lock cell (a lock, or an object's own lock) that other live objects were made with. */
    private void refuseIfUsed(long block, String what) {
        int users = allocator.lockUsers(block);
        if (users > 0) {
            throw new IllegalStateException("cannot free " + what + ": " + users + (users == 1 ? " object" : " objects")
                    + " made with its lock still " + (users == 1 ? "uses" : "use") + " it; free " + (users == 1 ? "it" : "them") + " first");
        }
    }

    /** A free that failed before the block was freed gives the lock it claimed back. */
    private void giveBackIfStillAllocated(SharedLock claimed, long block, long generation) {
        if (claimed != null && allocator.generationOf(block) == generation) {
            claimed.cancelFreeClaim();
        }
    }

    /**
     * Takes the lock an object was made with (another object's, or a separate one) for the time
     * of its free, refusing if another thread holds it: a holder in any process checks under that
     * lock that the object is live before each access, and that check only holds while nobody can
     * free the object in between. Not waited for: this thread holds the region lock, which a
     * holder of the object's lock may be waiting for.
     */
    private static SharedLock holdSharedLock(SharedLock lock, String what) {
        if (!lock.tryLock()) {
            throw new IllegalStateException("cannot free " + what + ": the lock it was made with is held, by process "
                    + lock.ownerPid() + ", whose accesses to it are checked under that lock; free it once the holder has unlocked");
        }
        return lock;
    }

    /**
     * Refuses to free what a lock still guards, else claims the lock for good (never waiting), so
     * that no thread of any process takes it between this look and the free: a claim made before
     * refuses the free, one made after finds the block freed.
     */
    private static void claimIdle(SharedLock lock, String what) {
        // First: it forgets waiters that are gone, and their reservation (see SharedLock.waiters).
        int waiters = lock.waiters();
        if (lock.isReserved()) {
            throw new IllegalStateException("cannot free " + what + ": its lock is reserved for a thread that has waited long"
                    + " for it; free it once that thread has had it");
        }
        if (lock.isLocked()) {
            throw new IllegalStateException("cannot free " + what + ": its lock is held, by process " + lock.ownerPid()
                    + "; free it once the holder has unlocked");
        }
        if (waiters > 0) {
            throw new IllegalStateException("cannot free " + what + ": " + waiters + " thread(s) wait for its lock");
        }
        if (!lock.claimForFree()) {
            long pid = lock.ownerPid();
            throw new IllegalStateException("cannot free " + what + ": its lock is "
                    + (pid != 0 ? "held, by process " + pid + "; free it once the holder has unlocked" : "waited for"));
        }
    }

    /** Ends every object's scope in this process; before the region is unmapped. */
    void closeAll() {
        scopes.closeAll();
    }
}
