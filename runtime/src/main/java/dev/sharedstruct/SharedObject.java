package dev.sharedstruct;

import java.lang.foreign.MemorySegment;
import dev.sharedstruct.internal.region.ClosedScopes;
import dev.sharedstruct.internal.region.Liveness;

/**
 * Anything allocated in a {@link SharedMemory} region: a struct, an array, a string or a value.
 * It knows its memory and the lock its operations take (none when raw), so that
 * {@link Structs} can make raw, synchronized and copied views of any of them.
 */
public abstract class SharedObject {
    /** The region the object lives in; null for a local struct ({@link Structs#local}). */
    protected final SharedMemory memory;
    /** The object's memory. */
    protected final MemorySegment segment;
    /** The lock every operation takes; null in a raw view. */
    protected final SharedLock lock;

    /**
     * Where the object was allocated in its region: set for whole objects (made, found or
     * attached), null for views of part of another object and for local structs.
     */
    Placement placement;

    /** Whether the object is still allocated: set for every view of a region's object (whole or part), null for local structs. */
    private Liveness liveness;
    /**
     * {@link #liveness} when a hold of {@link #lock} does not keep the object alive (the lock is
     * not the object's own), else null: what a generated accessor looks at inside a hold.
     */
    private Liveness livenessInHold;

    SharedObject(SharedMemory memory, MemorySegment segment, SharedLock lock) {
        this.memory = memory;
        this.segment = segment;
        this.lock = lock;
    }

    /** The same kind of object over {@code segment}, locking {@code lock} (raw when null). */
    abstract SharedObject rebind(MemorySegment segment, SharedLock lock);

    /** How to allocate, recognise and view an object like this one. */
    abstract ObjectSpec<?> spec();

    /** A description for messages: {@code Point}, {@code SharedIntArray}. */
    abstract String kind();

    /** Zeroed heap memory of {@code bytes}, 8-byte aligned (long[] backing) as any struct's fields need. */
    static MemorySegment heapSegment(long bytes) {
        return MemorySegment.ofArray(new long[(int) ((bytes + 7) / 8)]).asSlice(0, bytes);
    }

    /** Takes the lock of a synchronized object, refusing a freed one; nothing for a raw one. */
    final void lock() {
        if (lock != null) {
            lockLive();
        }
    }

    /**
     * Takes the lock, refusing, without touching the lock cell, an object whose block was freed
     * (by any process), and checking again once the lock is held, so that a free that raced with
     * the acquisition is noticed before any field is touched. Both looks are the lock's own when
     * the object owns its lock: its compare-and-set succeeds only from the free word of the block
     * generation the object was allocated with (or on user data forging it, which its look at the
     * block afterwards catches), and a lock that fails it looks at the block before anything else.
     */
    final void lockLive() {
        try {
            lockLiveChecked();
        } catch (IllegalStateException e) {
            throw memory != null ? memory.closedOr(e) : e;
        }
    }

    private void lockLiveChecked() {
        Liveness live = liveness;
        if (live == null || live == lock.block) {
            // The lock's claim looks at the object's own block: no look of ours.
            try {
                lock.lock();
            } catch (IllegalStateException e) {
                throw live != null && !live.alive() ? live.freed(kind(), e) : e;
            }
            return;
        }
        if (!live.alive()) {
            throw live.freed(kind(), null);
        }
        lock.lock();
        if (!live.alive()) {
            lock.unlock();
            throw live.freed(kind(), null);
        }
    }

    /**
     * For generated synchronized accessors: takes the lock as {@link #lockLive()} does, unless the
     * calling thread holds it through this view's lock already (the usual
     * {@code try (var _ = lock.acquire())} block), and returns whether it took a hold, which the
     * accessor then releases. Inside a hold of the object's own lock nothing but the holder is
     * looked at: the claim succeeded only in the object's block generation, and {@code free}
     * refuses a block whose lock is held, so the object lives as long as the hold. An object locked by
     * another object's lock, or by a separate lock, is checked on each access: that lock does not
     * keep it alive.
     *
     * @return true when a hold was taken and must be released, false when the thread held the lock
     */
    protected final boolean lockUnlessHeld() {
        if (lock.isHeldHere()) {
            Liveness live = livenessInHold;
            if (live != null && !live.alive()) {
                throw live.freed(kind(), null);
            }
            return false;
        }
        lockLive();
        return true;
    }

    /**
     * What generated accessors throw for an {@link IllegalStateException} from memory access: a
     * clear "was freed" when the object's own scope was closed by {@code free}, else the original.
     *
     * @param e the exception the memory access threw
     * @return the exception to throw
     */
    protected final RuntimeException accessFailed(IllegalStateException e) {
        if (memory != null && !memory.isOpen()) {
            return memory.closedOr(e);
        }
        Liveness live = liveness;
        if (live != null && !segment.scope().isAlive()) {
            return ClosedScopes.forgetInterrupt(live.freed(kind(), e));
        }
        return e;
    }

    /** Another view of the same object (nested struct, element, raw or synchronized form) is as alive as this one. */
    final <V> V sameObject(V view) {
        ((SharedObject) view).liveness(liveness);
        return view;
    }

    Liveness liveness() {
        return liveness;
    }

    /** Records whether the object is still allocated (see {@link #liveness}). */
    void liveness(Liveness live) {
        liveness = live;
        livenessInHold = live == null || lock == null || live == lock.block ? null : live;
    }

    final void unlock() {
        if (lock != null) {
            lock.unlock();
        }
    }

    /**
     * A copy of the object's bytes in heap memory, taken now: what a new object is filled from
     * after it is allocated. The live memory of a raw view could be freed (in any thread) between
     * the allocation and the copy, which would fail and leave the new block unreferenced.
     */
    final MemorySegment snapshot() {
        MemorySegment content = content();
        if (lock != null) {
            return content;
        }
        MemorySegment copy = heapSegment(content.byteSize());
        try {
            MemorySegment.copy(content, 0, copy, 0, content.byteSize());
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        }
        return copy;
    }

    /**
     * The object's bytes: the live memory of a raw view, a snapshot under the lock otherwise. A
     * raw view freed in this process is refused here, by name: the caller reads the memory later,
     * where FFM's bare "Already closed" would seem to come from the object it copies into.
     */
    final MemorySegment content() {
        if (lock == null) {
            if (!segment.scope().isAlive()) {
                throw accessFailed(new IllegalStateException("Already closed"));
            }
            return segment;
        }
        MemorySegment copy = heapSegment(segment.byteSize());
        lock();
        try {
            MemorySegment.copy(segment, 0, copy, 0, segment.byteSize());
        } finally {
            unlock();
        }
        return copy;
    }
}
