package dev.sharedstruct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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
        StructType<T> structType = Structs.type(type);
        return structType.wrap(this, allocate(structType.layout()), newLock());
    }

    /** A new struct whose accessors take {@code lock}: Python's {@code Value(type, lock=lock)}. */
    public <T> T value(Class<T> type, SharedLock lock) {
        Objects.requireNonNull(lock, "lock");
        requireOwnLock(lock);
        StructType<T> structType = Structs.type(type);
        return structType.wrap(this, allocate(structType.layout()), lock);
    }

    /** A new struct whose accessors do not lock: Python's {@code RawValue(type)}. */
    public <T> T rawValue(Class<T> type) {
        StructType<T> structType = Structs.type(type);
        return structType.wrap(this, allocate(structType.layout()), null);
    }

    /** A new, unlocked lock in this region, to share between objects: Python's {@code Lock()}. */
    public SharedLock newLock() {
        return new SharedLock(this, allocate(SharedLock.CELL));
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

    void requireOwnLock(SharedLock lock) {
        if (lock.memory() != this) {
            throw new IllegalArgumentException("the lock lives in another region (" + lock.memory().path()
                    + "); objects of " + path + " can only use its own locks");
        }
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
