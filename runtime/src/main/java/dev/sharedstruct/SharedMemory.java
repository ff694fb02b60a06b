package dev.sharedstruct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A region of shared memory: a memory-mapped file that other processes (JVMs, C or Python
 * programs) can map too, in which structs, arrays and locks are allocated.
 *
 * <pre>{@code
 * try (SharedMemory shm = SharedMemory.create(1 << 20)) {
 *     Point p = shm.value(Point.class);    // every accessor takes p's lock
 *     p.x(1.5);
 * }
 * }</pre>
 *
 * <p>Fresh memory is zeroed. The region is safe to use from many threads. Closing it unmaps the
 * memory (objects allocated in it then fail with {@link IllegalStateException}) and deletes the
 * file of a region this process created.
 */
public final class SharedMemory implements AutoCloseable {
    /** The smallest region: the header plus room for a small struct and its lock. */
    public static final long MIN_SIZE = RegionHeader.DATA_START + 256;
    /** Every allocation is aligned to this, enough for any field. */
    static final long ALIGNMENT = 8;

    private final Path path;
    private final Arena arena;
    private final MemorySegment region;
    private final RegionHeader header;
    private final boolean deleteOnClose;

    private SharedMemory(Path path, Arena arena, MemorySegment region, boolean deleteOnClose) {
        this.path = path;
        this.arena = arena;
        this.region = region;
        this.header = new RegionHeader(region);
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * Creates a region of {@code bytes} bytes (header included) in a new, uniquely named,
     * owner-only file under {@code /dev/shm} (or the temporary directory where there is none).
     * The file is deleted on {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code bytes} is below {@link #MIN_SIZE}
     * @throws UncheckedIOException if the file cannot be created or mapped
     */
    public static SharedMemory create(long bytes) {
        if (bytes < MIN_SIZE) {
            throw new IllegalArgumentException("a region needs at least " + MIN_SIZE + " bytes, asked for " + bytes);
        }
        RegionFiles.Created file = RegionFiles.createUnique();
        try (FileChannel channel = file.channel()) {
            long usable = Files.getFileStore(file.path()).getUsableSpace();
            if (usable < bytes) {
                throw new IllegalArgumentException("a region of " + bytes + " bytes does not fit in "
                        + file.path().getParent() + ", which has " + usable + " bytes free");
            }
            Arena arena = Arena.ofShared();
            MemorySegment region;
            try {
                region = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
            SharedMemory memory = new SharedMemory(file.path(), arena, region, true);
            memory.header.initialize(bytes);
            return memory;
        } catch (IOException e) {
            deleteQuietly(file.path());
            throw new UncheckedIOException("cannot map region file " + file.path() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(file.path());
            throw e;
        }
    }

    /** The region's file. */
    public Path path() {
        return path;
    }

    /** The region's size in bytes, header included. */
    public long size() {
        return region.byteSize();
    }

    /** Bytes still free for allocation. */
    public long freeBytes() {
        return region.byteSize() - header.top();
    }

    /** A new synchronized struct with a lock of its own: Python's {@code Value(type)}. */
    public <T> T value(Class<T> type) {
        return struct(type, newLock());
    }

    /** A new struct whose accessors take {@code lock}: Python's {@code Value(type, lock=lock)}. */
    public <T> T value(Class<T> type, SharedLock lock) {
        return struct(type, requireOwnLock(lock));
    }

    /** A new struct whose accessors do not lock: Python's {@code RawValue(type)}. */
    public <T> T rawValue(Class<T> type) {
        return struct(type, null);
    }

    /** A new synchronized value of {@code code} with a lock of its own, zero: Python's {@code Value('i')}. */
    public <V extends SharedPrimitiveValue> V value(TypeCode<?, ?, V> code) {
        return primitiveValue(code, newLock());
    }

    /** A new value of {@code code} locked by {@code lock}: Python's {@code Value('i', lock=lock)}. */
    public <V extends SharedPrimitiveValue> V value(TypeCode<?, ?, V> code, SharedLock lock) {
        return primitiveValue(code, requireOwnLock(lock));
    }

    /** A new value of {@code code} that does not lock: Python's {@code RawValue('d')}. */
    public <V extends SharedPrimitiveValue> V rawValue(TypeCode<?, ?, V> code) {
        return primitiveValue(code, null);
    }

    /** A new synchronized array of {@code length} zeroed structs: Python's {@code Array(Point, n)}. */
    public <T> SharedArray<T> array(Class<T> type, int length) {
        return structArray(type, length, newLock());
    }

    /** A new array of {@code length} structs locked by {@code lock}: Python's {@code Array(Point, n, lock=lock)}. */
    public <T> SharedArray<T> array(Class<T> type, int length, SharedLock lock) {
        return structArray(type, length, requireOwnLock(lock));
    }

    /** A new array of {@code length} structs that does not lock: Python's {@code RawArray(Point, n)}. */
    public <T> SharedArray<T> rawArray(Class<T> type, int length) {
        return structArray(type, length, null);
    }

    /**
     * A new synchronized array holding copies of {@code values}: Python's
     * {@code Array(Point, [(1.875, -6.25), ...])}. Values may be local structs ({@link Structs#local}).
     */
    public <T> SharedArray<T> array(Class<T> type, List<? extends T> values) {
        return initialized(type, values, newLock());
    }

    /** {@link #array(Class, List)} locked by {@code lock}. */
    public <T> SharedArray<T> array(Class<T> type, List<? extends T> values, SharedLock lock) {
        return initialized(type, values, requireOwnLock(lock));
    }

    /** {@link #array(Class, List)} without locking: Python's {@code RawArray(Point, [...])}. */
    public <T> SharedArray<T> rawArray(Class<T> type, List<? extends T> values) {
        return initialized(type, values, null);
    }

    /** A new synchronized array of {@code length} zeros: Python's {@code Array('d', 10)}. */
    public <A extends SharedPrimitiveArray> A array(TypeCode<A, ?, ?> code, int length) {
        return primitiveArray(code, length, newLock());
    }

    /** A new array of {@code length} zeros locked by {@code lock}: Python's {@code Array('d', 10, lock=lock)}. */
    public <A extends SharedPrimitiveArray> A array(TypeCode<A, ?, ?> code, int length, SharedLock lock) {
        return primitiveArray(code, length, requireOwnLock(lock));
    }

    /** A new array of {@code length} zeros that does not lock: Python's {@code RawArray('i', 10)}. */
    public <A extends SharedPrimitiveArray> A rawArray(TypeCode<A, ?, ?> code, int length) {
        return primitiveArray(code, length, null);
    }

    /** A new synchronized array holding a copy of {@code values}: Python's {@code Array('i', [1, 2, 3])}. */
    public <A extends SharedPrimitiveArray, J> A array(TypeCode<A, J, ?> code, J values) {
        return initialized(code, values, newLock());
    }

    /** {@link #array(TypeCode, Object)} locked by {@code lock}: {@code Array('c', b'hello', lock=lock)}. */
    public <A extends SharedPrimitiveArray, J> A array(TypeCode<A, J, ?> code, J values, SharedLock lock) {
        return initialized(code, values, requireOwnLock(lock));
    }

    /** {@link #array(TypeCode, Object)} without locking: Python's {@code RawArray('i', [1, 2, 3])}. */
    public <A extends SharedPrimitiveArray, J> A rawArray(TypeCode<A, J, ?> code, J values) {
        return initialized(code, values, null);
    }

    /** A new, unlocked lock in this region, to share between objects: Python's {@code Lock()}. */
    public SharedLock newLock() {
        return new SharedLock(this, allocate(SharedLock.CELL));
    }

    private <T> T struct(Class<T> type, SharedLock lock) {
        StructType<T> structType = Structs.type(type);
        return structType.wrap(this, allocate(structType.layout()), lock);
    }

    private <V extends SharedPrimitiveValue> V primitiveValue(TypeCode<?, ?, V> code, SharedLock lock) {
        Objects.requireNonNull(code, "code");
        return code.value(this, allocate(code.layout()), lock);
    }

    private <T> SharedArray<T> structArray(Class<T> type, int length, SharedLock lock) {
        StructType<T> structType = Structs.type(type);
        MemorySegment memory = allocate(arrayBytes(length, structType.layout().byteSize(), type.getSimpleName()), ALIGNMENT);
        return new SharedArray<>(structType, this, memory, lock);
    }

    private <T> SharedArray<T> initialized(Class<T> type, List<? extends T> values, SharedLock lock) {
        Objects.requireNonNull(values, "values");
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException("values[" + i + "] is null; every element needs a value to copy");
            }
        }
        SharedArray<T> array = structArray(type, values.size(), lock);
        array.setRange(0, values);
        return array;
    }

    private <A extends SharedPrimitiveArray> A primitiveArray(TypeCode<A, ?, ?> code, int length, SharedLock lock) {
        Objects.requireNonNull(code, "code");
        return code.array(this, allocate(arrayBytes(length, code.size(), "'" + code.code() + "'"), ALIGNMENT), lock);
    }

    private <A extends SharedPrimitiveArray, J> A initialized(TypeCode<A, J, ?> code, J values, SharedLock lock) {
        Objects.requireNonNull(values, "values");
        int length = java.lang.reflect.Array.getLength(values);
        A array = primitiveArray(code, length, lock);
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

    /** Bytes of {@code length} elements of {@code size}, refusing empty arrays and overflow. */
    private static long arrayBytes(int length, long size, String element) {
        if (length < 1) {
            throw new IllegalArgumentException("an array of " + element + " needs at least 1 element, asked for " + length);
        }
        try {
            return Math.multiplyExact(length, size);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(length + " elements of " + size + " bytes overflow a long", e);
        }
    }

    /** Zeroed memory for one {@code layout}, aligned for it. */
    MemorySegment allocate(MemoryLayout layout) {
        return allocate(layout.byteSize(), layout.byteAlignment());
    }

    /** Zeroed memory of {@code bytes}, at an offset that is a multiple of {@code alignment}. */
    MemorySegment allocate(long bytes, long alignment) {
        if (bytes <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes aligned to " + alignment);
        }
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("region " + path + " is closed");
        }
        while (true) {
            long top = header.top();
            long start = (top + alignment - 1) & -alignment;
            long end = start + bytes;
            if (end > region.byteSize() || end < start) {
                throw new IllegalStateException("region " + path + " is full: asked for " + bytes + " bytes, "
                        + Math.max(0, region.byteSize() - top) + " bytes free");
            }
            if (header.casTop(top, end)) {
                return region.asSlice(start, bytes);
            }
        }
    }

    SharedLock requireOwnLock(SharedLock lock) {
        Objects.requireNonNull(lock, "lock");
        if (lock.memory() != this) {
            throw new IllegalArgumentException("the lock lives in another region (" + lock.memory().path()
                    + "); objects of " + path + " can only use its own locks");
        }
        return lock;
    }

    /** Unmaps the region and, if this process created it, deletes its file. */
    @Override
    public synchronized void close() {
        if (!arena.scope().isAlive()) {
            return;
        }
        arena.close();
        if (deleteOnClose) {
            deleteQuietly(path);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Nothing else to do: the file only holds memory that is no longer used.
        }
    }

    @Override
    public String toString() {
        return "SharedMemory[" + path + ", " + region.byteSize() + " bytes]";
    }
}
