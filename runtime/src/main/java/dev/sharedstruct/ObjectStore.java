package dev.sharedstruct;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Objects;
import java.nio.file.Path;

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
    private final SharedLock regionLock;
    private final Path path;

    ObjectStore(SharedMemory memory, MemorySegment region, Allocator allocator, SharedLock regionLock, Path path) {
        this.memory = memory;
        this.region = region;
        this.allocator = allocator;
        this.regionLock = regionLock;
        this.path = path;
    }

    /** Zeroed memory for an object, with its own lock cell in front when {@code ownLock}. */
    <T> T place(ObjectSpec<T> spec, boolean ownLock, SharedLock shared) {
        long lockBytes = ownLock ? LOCK_BYTES : 0;
        long block;
        try {
            block = allocateBlock(spec.bytes() + lockBytes, (short) (spec.kind() | (ownLock ? Allocator.Kind.OWN_LOCK : 0)));
        } catch (RegionFullException e) {
            throw e.asking(spec.bytes());
        }
        SharedLock lock = ownLock ? new SharedLock(memory, region.asSlice(block, SharedLock.CELL)) : shared;
        Placement placement = new Placement(block, block + lockBytes, lock == null ? 0 : offsetOf(lock), allocator.generationOf(block));
        return view(spec, placement, lock);
    }

    long allocateBlock(long bytes, short kind) {
        memory.checkOpen();
        regionLock.lock();
        try {
            return allocator.allocate(bytes, kind);
        } finally {
            regionLock.unlock();
        }
    }

    <T> T view(ObjectSpec<T> spec, Placement placement, SharedLock lock) {
        T object = spec.factory().create(memory, region.asSlice(placement.object(), spec.bytes()), lock);
        ((SharedObject) object).placement = placement;
        return object;
    }

    /** A view of an object whose placement came from a handle or the directory: every offset is checked first. */
    <T> T checkedView(ObjectSpec<T> spec, Placement placement, String source) {
        short kind = allocator.kindAt(placement.block(), placement.generation());
        boolean ownsLock = (kind & Allocator.Kind.OWN_LOCK) != 0;
        long lockBytes = ownsLock ? LOCK_BYTES : 0;
        if ((kind & ~Allocator.Kind.OWN_LOCK) != spec.kind() || placement.object() != placement.block() + lockBytes
                || spec.bytes() > allocator.payloadSize(placement.block()) - lockBytes) {
            throw new InvalidRegionException(source + " names offset " + placement.object() + " of " + path
                    + ", which does not hold a " + spec.typeName() + " of " + spec.bytes() + " bytes");
        }
        SharedLock lock = null;
        if (placement.lock() == placement.block() && ownsLock) {
            lock = new SharedLock(memory, region.asSlice(placement.block(), SharedLock.CELL));
        } else if (placement.lock() != 0) {
            if (allocator.kindAt(placement.lock(), 0) != Allocator.Kind.LOCK) {
                throw new InvalidRegionException(source + " names offset " + placement.lock() + " of " + path
                        + " as a lock, which it is not");
            }
            lock = new SharedLock(memory, region.asSlice(placement.lock(), SharedLock.CELL));
        }
        return view(spec, placement, lock);
    }

    /** A copy of {@code object}'s content in new memory of this region, in the same form. */
    <T> T copyOf(SharedObject object) {
        MemorySegment content = object.content();
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
                    + (object.memory == null ? "no region (it is local)" : object.memory.path()) + ", not to " + path);
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

    <T> SharedArray<T> initialized(Class<T> type, List<? extends T> values, boolean ownLock, SharedLock lock) {
        Objects.requireNonNull(values, "values");
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException("values[" + i + "] is null; every element needs a value to copy");
            }
        }
        SharedArray<T> array = place(ObjectSpec.structArray(Structs.type(type), values.size()), ownLock, lock);
        array.setRange(0, values);
        return array;
    }

    <A extends SharedPrimitiveArray, J> A initialized(TypeCode<A, J, ?> code, J values, boolean ownLock, SharedLock lock) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(values, "values");
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
        return new SharedLock(memory, region.asSlice(allocateBlock(LOCK_BYTES, Allocator.Kind.LOCK), SharedLock.CELL));
    }

    /** The lock cell allocated at {@code offset}, checked to be one (for conditions found by id). */
    SharedLock lockAt(long offset) {
        if (offset <= 0 || offset % 8 != 0 || offset + LOCK_BYTES > region.byteSize()) {
            throw new IllegalArgumentException("offset " + offset + " names no lock cell of " + path);
        }
        memory.checkOpen();
        regionLock.lock();
        try {
            if (allocator.kindAt(offset, 0) != Allocator.Kind.LOCK) {
                throw new IllegalArgumentException("offset " + offset + " of " + path + " holds no lock cell");
            }
        } catch (InvalidRegionException e) {
            throw new IllegalArgumentException("offset " + offset + " names no lock cell of " + path + ": " + e.getMessage(), e);
        } finally {
            regionLock.unlock();
        }
        return new SharedLock(memory, region.asSlice(offset, SharedLock.CELL));
    }

    long offsetOf(SharedLock lock) {
        return lock.cell().address() - region.address();
    }

    /** Frees a whole object's block, and its name if it has one; or a lock's cell. */
    void free(Object object, Directory directory) {
        if (object instanceof SharedLock lock) {
            memory.requireOwnLock(lock);
            if (lock.isLocked()) {
                throw new IllegalStateException("cannot free " + lock + ": it is held");
            }
            regionLock.lock();
            try {
                long offset = offsetOf(lock);
                if (allocator.kindAt(offset, 0) != Allocator.Kind.LOCK) {
                    throw new IllegalArgumentException("this lock belongs to an object; free the object instead");
                }
                allocator.free(offset);
            } finally {
                regionLock.unlock();
            }
            return;
        }
        SharedObject shared = Structs.shared(object);
        regionLock.lock();
        try {
            Placement placement = requireLive(shared, "cannot be freed");
            directory.removeBlock(placement.block());
            allocator.free(placement.block());
        } finally {
            regionLock.unlock();
        }
    }
}
