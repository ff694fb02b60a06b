package dev.sharedstruct;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.Objects;
import dev.sharedstruct.internal.StructType;

/**
 * Operations on anything in shared memory (structs, arrays, strings, values): its lock, raw
 * view, copies and layout. The counterpart of Python sharedctypes' {@code get_lock()},
 * {@code get_obj()}, {@code copy()} and {@code synchronized()}.
 */
public final class Structs {

    /** The generated type of each interface, found once (Python's {@code class_cache}). */
    private static final ClassValue<StructType<?>> TYPES = new ClassValue<>() {
        @Override
        protected StructType<?> computeValue(Class<?> type) {
            return GeneratedTypes.find(type);
        }
    };

    private Structs() {
    }

    /**
     * The generated type of a {@code @SharedStruct} interface.
     *
     * @param type the {@code @SharedStruct} interface
     * @param <T> the {@code @SharedStruct} interface
     * @return the generated type, cached
     * @throws IllegalArgumentException if {@code type} is not a {@code @SharedStruct} interface
     * @throws IllegalStateException if no implementation was generated for it
     */
    @SuppressWarnings("unchecked")
    public static <T> StructType<T> type(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return (StructType<T>) TYPES.get(type);
    }

    /**
     * The C-compatible layout of a {@code @SharedStruct} interface, members named after fields.
     *
     * @param type the {@code @SharedStruct} interface
     * @return the struct's layout
     */
    public static StructLayout layout(Class<?> type) {
        return type(type).layout();
    }

    /**
     * A struct in ordinary heap memory, not shared: a value to fill and then copy into shared
     * structs and arrays, like a ctypes {@code Structure} made outside sharedctypes. Raw, zeroed.
     *
     * @param <T> the {@code @SharedStruct} interface
     * @param type the {@code @SharedStruct} interface
     * @return a new raw struct in heap memory
     */
    public static <T> T local(Class<T> type) {
        StructType<T> structType = type(type);
        return structType.wrap(null, SharedObject.heapSegment(structType.layout().byteSize()), null);
    }

    /**
     * The lock every operation of {@code object} takes.
     *
     * @param object a struct, array, string or value made by a {@link SharedMemory}
     * @return the object's lock
     * @throws IllegalArgumentException if {@code object} is raw (it has no lock) or not shared
     */
    public static SharedLock lock(Object object) {
        SharedObject shared = shared(object);
        if (shared.lock == null) {
            throw new IllegalArgumentException("this " + shared.kind()
                    + " is raw and has no lock; make a synchronized view with Structs.synchronize(object, lock)");
        }
        return shared.lock;
    }

    /**
     * How many times {@code object}'s lock was taken over from a process that died holding it,
     * since the last time this was asked of the same lock object (or since the object was
     * attached): each time, what the lock guards may have been left half-updated. Generated
     * accessors take the lock without reporting a takeover; ask this to learn of one.
     *
     * @param object a struct, array, string or value made by a {@link SharedMemory}
     * @return the number of takeovers since the last look; 0 when none
     * @throws IllegalArgumentException if {@code object} is raw (it has no lock) or not shared
     */
    public static int recoveriesSinceLastLook(Object object) {
        return lock(object).recoveriesSinceLastLook();
    }

    /**
     * Whether {@code object} is a synchronized view (its operations lock).
     *
     * @param object a struct, array, string or value made by a {@link SharedMemory}
     * @return whether the object's operations take a lock
     */
    public static boolean isSynchronized(Object object) {
        return shared(object).lock != null;
    }

    /**
     * The memory of {@code object}, exactly its size: for handing to native code or another view
     * (Python's {@code ctypes.addressof}). Access through it does not lock.
     *
     * @param object a struct, array, string or value made by a {@link SharedMemory}
     * @return the object's memory
     */
    public static MemorySegment segment(Object object) {
        return shared(object).segment;
    }

    /**
     * An unlocked view of the same memory ({@code object} itself if it is raw already).
     *
     * @param <T> the object's type
     * @param object a struct, array, string or value made by a {@link SharedMemory}
     * @return a raw view of the same memory
     */
    public static <T> T raw(T object) {
        SharedObject shared = shared(object);
        return shared.lock == null ? object : rebind(object, shared.segment, null);
    }

    /**
     * A view of the raw {@code object}'s memory whose operations take {@code lock}, the
     * counterpart of Python's {@code synchronized(obj, lock)}.
     *
     * @param <T> the object's type
     * @param object a struct, array, string or value made by a {@link SharedMemory}
     * @param lock the lock its operations will take; a lock of {@code object}'s region
     * @return a synchronized view of the same memory
     * @throws IllegalArgumentException if {@code object} is already synchronized, or {@code lock}
     *     lives in another region than {@code object} (another process could not find it)
     */
    public static <T> T synchronize(T object, SharedLock lock) {
        Objects.requireNonNull(lock, "lock");
        SharedObject shared = requireRawInRegion(object);
        shared.memory.requireOwnLock(lock);
        return rebind(object, shared.segment, lock);
    }

    /**
     * {@link #synchronize(Object, SharedLock)} with a new lock in the object's region. Like any
     * lock of a region, the new one takes region memory until it is freed, whether or not the
     * view is still in use: make one view per object and reuse it (calling this in a loop fills
     * the region), and free its lock with {@code memory.free(Structs.lock(view))} when the view
     * is done with (a view whose lock was freed refuses every operation: the lock "was freed").
     *
     * @param <T> the object's type
     * @param object a struct, array, string or value made by a {@link SharedMemory}
     * @return a synchronized view of the same memory
     */
    public static <T> T synchronize(T object) {
        SharedObject shared = requireRawInRegion(object);
        return rebind(object, shared.segment, shared.memory.newLock());
    }

    /**
     * A copy of {@code object}'s content in newly allocated memory of the same region: raw if
     * {@code object} is raw, synchronized on a new lock of its own otherwise. The source is read
     * under its lock.
     *
     * @param <T> the object's type
     * @param object a struct, array, string or value made by a {@link SharedMemory}
     * @return the copy
     * @throws IllegalArgumentException for a local struct, which belongs to no region
     */
    public static <T> T copy(T object) {
        SharedObject shared = requireInRegion(object);
        return shared.memory.copyOf(shared);
    }

    /**
     * A handle to {@code object}: a string that names its region, place, kind, type, layout and
     * lock, with which any process attaches the same object ({@link SharedMemory#attach}). It names
     * the object in the form it was made in (synchronized on its own or a shared lock, or raw),
     * whatever the form of the view passed: a raw view of a synchronized object attaches
     * synchronized ({@link #raw} it after attaching).
     *
     * @param object a struct, array, string or value made by a {@link SharedMemory}
     * @return the handle, for {@link SharedMemory#attach}
     * @throws IllegalArgumentException for a local struct or a view of part of another object
     * @throws IllegalStateException if the object was freed
     */
    public static String handle(Object object) {
        return requireInRegion(object).memory.handleOf(shared(object)).format();
    }

    static SharedObject shared(Object object) {
        Objects.requireNonNull(object, "object");
        if (object instanceof SharedObject shared) {
            return shared;
        }
        throw new IllegalArgumentException(object.getClass().getName()
                + " is not a shared struct, array or value; make one with a SharedMemory");
    }

    /** A shared object of a region, refused when local or freed. */
    private static SharedObject requireInRegion(Object object) {
        SharedObject shared = shared(object);
        if (shared.memory == null) {
            throw new IllegalArgumentException("this " + shared.kind()
                    + " is local (heap memory, no region); copy it into one with SharedMemory.value and a setter");
        }
        if (shared.placement != null) {
            shared.memory.requireLive(shared);
        }
        return shared;
    }

    private static SharedObject requireRawInRegion(Object object) {
        SharedObject shared = requireInRegion(object);
        if (shared.lock != null) {
            throw new IllegalArgumentException("this " + shared.kind()
                    + " is already synchronized; pass Structs.raw(object) to give it another lock");
        }
        return shared;
    }

    /** The same object with another lock (raw when null); a whole object stays one, for handles and free. */
    @SuppressWarnings("unchecked")
    private static <T> T rebind(T object, MemorySegment segment, SharedLock lock) {
        SharedObject shared = shared(object);
        SharedObject view = shared.sameObject(shared.rebind(segment, lock));
        if (shared.placement != null) {
            // Still the same object: its handle names the form and lock its region records, not this view's.
            view.placement = shared.placement;
        }
        return (T) view;
    }
}
