package dev.sharedstruct;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.Objects;

/**
 * Operations on shared structs: their layout, lock, raw view and copies. The counterpart of
 * Python sharedctypes' {@code get_lock()}, {@code get_obj()}, {@code copy()} and
 * {@code synchronized()}.
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
     * @throws IllegalArgumentException if {@code type} is not a {@code @SharedStruct} interface
     * @throws IllegalStateException if no implementation was generated for it
     */
    @SuppressWarnings("unchecked")
    public static <T> StructType<T> type(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return (StructType<T>) TYPES.get(type);
    }

    /** The C-compatible layout of a {@code @SharedStruct} interface, members named after fields. */
    public static StructLayout layout(Class<?> type) {
        return type(type).layout();
    }

    /**
     * The lock every accessor of {@code struct} takes.
     *
     * @throws IllegalArgumentException if {@code struct} is raw (it has no lock) or not a shared struct
     */
    public static SharedLock lock(Object struct) {
        GeneratedStruct s = generated(struct);
        if (s.lock == null) {
            throw new IllegalArgumentException("this " + s.type.type().getSimpleName()
                    + " is raw and has no lock; make a synchronized view with Structs.synchronize(struct, lock)");
        }
        return s.lock;
    }

    /**
     * The memory of {@code struct}, exactly its layout's size: for handing to native code or
     * another view (Python's {@code ctypes.addressof}). Access through it does not lock.
     */
    public static MemorySegment segment(Object struct) {
        return generated(struct).segment;
    }

    /** Whether {@code struct} is a synchronized view (its accessors lock). */
    public static boolean isSynchronized(Object struct) {
        return generated(struct).lock != null;
    }

    /** An unlocked view of the same memory ({@code struct} itself if it is raw already). */
    public static <T> T raw(T struct) {
        GeneratedStruct s = generated(struct);
        return s.lock == null ? struct : view(s, null);
    }

    /**
     * A view of the raw {@code struct}'s memory whose accessors take {@code lock}, the counterpart
     * of Python's {@code synchronized(obj, lock)}.
     *
     * @throws IllegalArgumentException if {@code struct} is already synchronized, or {@code lock}
     *     lives in another region than {@code struct} (another process could not find it)
     */
    public static <T> T synchronize(T struct, SharedLock lock) {
        Objects.requireNonNull(lock, "lock");
        GeneratedStruct s = generated(struct);
        if (s.lock != null) {
            throw new IllegalArgumentException("this " + s.type.type().getSimpleName()
                    + " is already synchronized; pass Structs.raw(struct) to give it another lock");
        }
        s.memory.requireOwnLock(lock);
        return view(s, lock);
    }

    /** {@link #synchronize(Object, SharedLock)} with a new lock in the struct's region. */
    public static <T> T synchronize(T struct) {
        GeneratedStruct s = generated(struct);
        if (s.lock != null) {
            throw new IllegalArgumentException("this " + s.type.type().getSimpleName() + " is already synchronized");
        }
        return view(s, s.memory.newLock());
    }

    /**
     * A copy of {@code struct}'s content in newly allocated memory of the same region: raw if
     * {@code struct} is raw, synchronized on a new lock of its own otherwise. The source is read
     * under its lock.
     */
    public static <T> T copy(T struct) {
        GeneratedStruct s = generated(struct);
        MemorySegment content = s.content();
        SharedLock lock = s.lock == null ? null : s.memory.newLock();
        MemorySegment target = s.memory.allocate(s.type.layout());
        MemorySegment.copy(content, 0, target, 0, target.byteSize());
        return view(s, target, lock);
    }

    static GeneratedStruct generated(Object struct) {
        Objects.requireNonNull(struct, "struct");
        if (struct instanceof GeneratedStruct s) {
            return s;
        }
        throw new IllegalArgumentException(struct.getClass().getName()
                + " is not a shared struct; make one with SharedMemory.value(type) or rawValue(type)");
    }

    private static <T> T view(GeneratedStruct s, SharedLock lock) {
        return view(s, s.segment, lock);
    }

    @SuppressWarnings("unchecked")
    private static <T> T view(GeneratedStruct s, MemorySegment segment, SharedLock lock) {
        return (T) s.type.wrap(s.memory, segment, lock);
    }
}
