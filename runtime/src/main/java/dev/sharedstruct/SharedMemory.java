package dev.sharedstruct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.EnumSet;
import java.util.Set;
import dev.sharedstruct.internal.lock.ThreadToken;
import dev.sharedstruct.internal.region.Allocator;
import dev.sharedstruct.internal.region.CrashPoints;
import dev.sharedstruct.internal.region.Directory;
import dev.sharedstruct.internal.region.IntentLog;
import dev.sharedstruct.internal.region.Liveness;
import dev.sharedstruct.internal.region.RegionFault;
import dev.sharedstruct.internal.region.RegionFiles;
import dev.sharedstruct.internal.region.RegionGuard;
import dev.sharedstruct.internal.region.RegionHeader;
import dev.sharedstruct.internal.region.RegionRepair;
import dev.sharedstruct.internal.region.RegionValidator;
import dev.sharedstruct.internal.region.RegionVerifier;
import dev.sharedstruct.internal.region.SpaceReservation;

/**
 * A region of shared memory: a memory-mapped file that other processes (JVMs, C or Python
 * programs) can map too, in which structs, arrays, strings, values and locks are allocated,
 * named, handed over and freed.
 *
 * <pre>{@code
 * try (SharedMemory shm = SharedMemory.create(1 << 20)) {
 *     Point p = shm.value(Point.class);            // every accessor takes p's lock
 *     p.x(1.5);
 *     String handle = Structs.handle(p);           // another process: open(path).attach(handle, Point.class)
 *     Stats stats = shm.findOrCreate("stats", Stats.class);
 * }
 * }</pre>
 *
 * <p>Fresh memory is zeroed. A region is safe to use from many threads and many processes: the
 * allocator and the directory of named objects are guarded by a lock in the region's header.
 * Closing a region unmaps it here (objects of it then fail with {@link IllegalStateException})
 * and deletes the file if this process created it, unless it was created with
 * {@link RegionOption#KEEP_FILE}. A process that opened a region never deletes its file.
 */
public final class SharedMemory implements AutoCloseable {
    /** The smallest region: the header plus room for a few small objects. */
    public static final long MIN_SIZE = RegionHeader.DATA_START + 768;
    /**
     * The largest region, 16 TiB: a region is mapped up to twice per process, and a larger size
     * would fail only at the map, with the kernel's bare "Map failed".
     */
    public static final long MAX_SIZE = 1L << 44;

    private final Path path;
    private final Arena arena;
    /**
     * Without native access ({@link #OBJECT_SCOPES} false), a second mapping of the same file, made
     * with the first and never handed out, through which close looks for the holds the unmapping
     * cut off ({@link #disownLocksCutOffByTheUnmapping}); closed right after. It reaches the mapped
     * file whatever became of its path meanwhile (deleted, replaced, its mode changed). Null with
     * native access.
     */
    private final MemorySegment closeView;
    private final Arena closeViewArena;
    private final MemorySegment region;
    private final RegionHeader header;
    private final boolean creator;
    private final boolean deleteOnClose;
    /**
     * The identity ({@link BasicFileAttributes#fileKey()}, device and inode on Linux) of the file
     * this process created, when it deletes it on close; null if unknown. The path may name
     * another region by then (the file removed and a region made again at the same path), which
     * close must not delete.
     */
    private final Object createdFile;
    /**
     * The open mappings of each region (by region id) in this process. A hold that a thread made
     * through another mapping of the same region is not told apart from one that close cut off,
     * so close disowns nothing while another mapping of its region is open; the thread whose hold
     * was cut off finishes it through such a mapping instead ({@link #anotherOpenMapping()}).
     */
    private static final java.util.concurrent.ConcurrentHashMap<Long, List<SharedMemory>> OPEN_MAPPINGS =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The region id this mapping is listed under in {@link #OPEN_MAPPINGS}; null until listed. */
    private Long countedAs;
    /**
     * The identity of the mapped file ({@link BasicFileAttributes#fileKey()}), read when the
     * mapping was listed; null if unknown. Two files can carry one region id (a copy of a region
     * file), so a cut-off hold is finished only through a mapping of the same file.
     */
    private Object mappedFile;
    private final RegionGuard regionLock;
    private final Allocator allocator;
    private final Directory directory;
    private final ObjectStore store;
    private final NamedObjects names;

    private SharedMemory(Path path, Arena arena, MemorySegment region, boolean creator, boolean deleteOnClose, Object createdFile,
            Arena closeViewArena, MemorySegment closeView) {
        this.path = path;
        this.closeViewArena = closeViewArena;
        this.closeView = closeView;
        this.createdFile = createdFile;
        this.arena = arena;
        this.region = region;
        this.header = new RegionHeader(region);
        this.creator = creator;
        this.deleteOnClose = deleteOnClose;
        this.regionLock = new RegionGuard(new SharedLock(this, header.lockCell()));
        IntentLog intent = new IntentLog(header);
        this.allocator = new Allocator(region, header, intent, path.toString());
        this.directory = new Directory(region, header, allocator, intent, path.toString());
        RegionRepair repair = new RegionRepair(allocator, directory, intent, header, path.toString());
        regionLock.repairWith(repair);
        this.store = new ObjectStore(this, region, allocator, regionLock, path);
        this.names = new NamedObjects(this, store, directory, regionLock, intent, repair, path);
    }

    /**
     * Creates a region of {@code bytes} bytes (header included) in a new, uniquely named,
     * owner-only file under {@code /dev/shm} (or the temporary directory where there is none).
     *
     * @param bytes the region's size in bytes, header included
     * @param options how to create it; none for the defaults
     * @return the new region; this process is its creator
     * @throws IllegalArgumentException if {@code bytes} is below {@link #MIN_SIZE} or above {@link #MAX_SIZE}
     * @throws RegionSpaceException if the file system has no room for {@code bytes}
     * @throws UncheckedIOException if the file cannot be created or mapped
     */
    public static SharedMemory create(long bytes, RegionOption... options) {
        checkSize(bytes);
        Set<RegionOption> chosen = optionSet(options);
        for (int attempt = 0; ; attempt++) {
            Path path = RegionFiles.uniquePath();
            try {
                return build(path, bytes, chosen);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw new UncheckedIOException("cannot find a free region file name in " + path.getParent(), e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a region file in " + path.getParent() + ": " + reason(e), e);
            }
        }
    }

    /**
     * Creates a region of {@code bytes} bytes in a new file at {@code path}, owner-only (0600).
     * The region is built under a temporary name beside {@code path} and appears there complete.
     *
     * @param path where the region's file is made; nothing may be there yet
     * @param bytes the region's size in bytes, header included
     * @param options how to create it; none for the defaults
     * @return the new region; this process is its creator
     * @throws UncheckedIOException if anything (a file, a link) is already at {@code path}
     * @throws RegionSpaceException if the file system has no room for {@code bytes}
     */
    public static SharedMemory create(Path path, long bytes, RegionOption... options) {
        Objects.requireNonNull(path, "path");
        checkSize(bytes);
        Set<RegionOption> chosen = optionSet(options);
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new UncheckedIOException("cannot create region " + path + ": something is already there",
                    new FileAlreadyExistsException(path.toString()));
        }
        try {
            return build(path, bytes, chosen);
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException("cannot create region " + path + ": something is already there", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create region " + path + ": " + reason(e), e);
        }
    }

    /**
     * Maps an existing region that another process created. A region file is complete from the
     * moment it appears, so nothing is waited for.
     *
     * @param path the region's file
     * @return the region
     * @throws InvalidRegionException if the file is not a region of this format, is truncated, is
     *     corrupt, or is a link, a directory or another user's file; the file is left as it was
     */
    public static SharedMemory open(Path path) {
        Objects.requireNonNull(path, "path");
        FileChannel channel = RegionFiles.openExisting(path);
        try (channel) {
            long size = RegionValidator.checkHeader(path, channel);
            Arena arena = Arena.ofShared();
            Arena viewArena = OBJECT_SCOPES ? null : Arena.ofShared();
            try {
                MemorySegment view = viewArena == null ? null : channel.map(FileChannel.MapMode.READ_WRITE, 0, size, viewArena);
                SharedMemory memory = new SharedMemory(path, arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena), false, false, null,
                        viewArena, view);
                RegionValidator.checkMapped(path, memory.region, memory.header, size);
                return memory.counted();
            } catch (IOException | RuntimeException e) {
                arena.close();
                if (viewArena != null) {
                    viewArena.close();
                }
                throw e;
            }
        } catch (IOException e) {
            throw new InvalidRegionException("cannot map region " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the region at {@code path}, or creates it with {@code bytes} bytes if there is none.
     * Safe when several processes race: each loser of the race opens the winner's region, which
     * is complete when it appears, and exactly one process is its creator.
     *
     * @param path the region's file
     * @param bytes the size of the region to create, header included; an existing region must have this size
     * @param options how to create it; none for the defaults
     * @return the region, opened or created
     * @throws InvalidRegionException if an existing region has another size than {@code bytes}
     */
    public static SharedMemory openOrCreate(Path path, long bytes, RegionOption... options) {
        Objects.requireNonNull(path, "path");
        checkSize(bytes);
        Set<RegionOption> chosen = optionSet(options);
        for (int attempt = 0; ; attempt++) {
            try {
                if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    return build(path, bytes, chosen);
                }
            } catch (FileAlreadyExistsException exists) {
                // Another process published first: open its region.
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create region " + path + ": " + reason(e), e);
            }
            try {
                SharedMemory memory = open(path);
                if (memory.size() != bytes) {
                    memory.close();
                    throw new InvalidRegionException("region " + path + " exists with " + memory.size()
                            + " bytes, not the " + bytes + " asked for");
                }
                return memory;
            } catch (InvalidRegionException e) {
                // Its creator may have closed and deleted it in between: try again.
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * What went wrong, for a message: some of NIO's exceptions (no such file, access denied)
     * carry only the file's name as their message, which alone does not say it.
     */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException failed && failed.getReason() == null) {
            String what = e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
            return what + " (" + failed.getFile() + ")";
        }
        if ("Map failed".equals(e.getMessage())) {
            return "the system refused to map it (Map failed" + (e.getCause() == null ? "" : ": " + e.getCause().getMessage())
                    + "; the address space or vm.max_map_count may be exhausted)";
        }
        return e.getMessage();
    }

    private static void checkSize(long bytes) {
        if (bytes < MIN_SIZE) {
            throw new IllegalArgumentException("a region needs at least " + MIN_SIZE + " bytes, asked for " + bytes);
        }
        if (bytes > MAX_SIZE) {
            throw new IllegalArgumentException("a region holds at most " + MAX_SIZE + " bytes (16 TiB), asked for " + bytes);
        }
    }

    private static Set<RegionOption> optionSet(RegionOption... options) {
        Objects.requireNonNull(options, "options");
        Set<RegionOption> set = EnumSet.noneOf(RegionOption.class);
        for (RegionOption option : options) {
            set.add(Objects.requireNonNull(option, "a region option is null"));
        }
        return set;
    }

    /**
     * Builds a complete region under a temporary name beside {@code path}: space reserved, header
     * written, then published at {@code path} in one step.
     *
     * @throws FileAlreadyExistsException if something appeared at {@code path} meanwhile (the temporary file is removed)
     */
    private static SharedMemory build(Path path, long bytes, Set<RegionOption> options) throws IOException {
        RegionFiles.Created file = RegionFiles.createTemporaryBeside(path, options.contains(RegionOption.GROUP_SHARED));
        Path temporary = file.path();
        Arena arena = Arena.ofShared();
        Arena viewArena = OBJECT_SCOPES ? null : Arena.ofShared();
        try (FileChannel channel = file.channel()) {
            if (options.contains(RegionOption.SPARSE)) {
                channel.truncate(0);
                channel.write(java.nio.ByteBuffer.allocate(1), bytes - 1);
            } else {
                SpaceReservation.reserve(temporary, channel, bytes);
            }
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            // Publishing renames the file: the same file (and key) at path afterwards.
            MemorySegment view = viewArena == null ? null : channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, viewArena);
            SharedMemory memory = new SharedMemory(path, arena, segment, true, !options.contains(RegionOption.KEEP_FILE),
                    fileKey(temporary), viewArena, view);
            memory.header.initialize(bytes, new SecureRandom().nextLong());
            memory.allocator.createBlockStarts();
            memory.directory.createIndex();
            CrashPoints.reached("create.beforePublish");
            RegionFiles.publish(temporary, path);
            return memory.counted();
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            if (viewArena != null) {
                viewArena.close();
            }
            deleteQuietly(temporary);
            throw e;
        }
    }

    /**
     * The region's file.
     *
     * @return the file
     */
    public Path path() {
        return path;
    }

    /**
     * Whether this process created the region (rather than opened it).
     *
     * @return whether this process created the region
     */
    public boolean isCreator() {
        return creator;
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
     * Bytes still free for allocation, in all free blocks together.
     *
     * @return the free bytes
     */
    public long freeBytes() {
        regionLock.lock();
        try {
            return allocator.freeBytes();
        } finally {
            regionLock.unlock();
        }
    }

    /**
     * Checks every invariant of the region's metadata under the region lock and reports what it
     * found: the blocks tile the data area, the free bins hold exactly the free blocks (each in
     * the bin of its size, merged), every boundary tag agrees with the block below, the counters
     * match, every named object points to a live block of its kind, the name index agrees with the
     * directory, lock cells are sane. Repairs nothing (a region whose last lock holder died is
     * repaired by the lock takeover that precedes the check).
     *
     * @return what the check found
     */
    public RegionReport verify() {
        checkOpen();
        regionLock.lock();
        try {
            return new RegionVerifier(region, header, allocator, directory).verify();
        } catch (InternalError fault) {
            throw RegionFault.of(path, fault);
        } finally {
            regionLock.unlock();
        }
    }

    // ---- structs, values, arrays: Python's Value, RawValue, Array, RawArray ----

    /**
     * A new synchronized struct with a lock of its own: Python's {@code Value(type)}.
     *
     * @param <T> the {@code @SharedStruct} interface
     * @param type the {@code @SharedStruct} interface
     * @return the new object
     */
    public <T> T value(Class<T> type) {
        return store.place(ObjectSpec.struct(Structs.type(type)), true, null);
    }

    /**
     * A new struct whose accessors take {@code lock}: Python's {@code Value(type, lock=lock)}.
     *
     * @param <T> the {@code @SharedStruct} interface
     * @param type the {@code @SharedStruct} interface
     * @param lock the lock that its operations take; a lock of this region
     * @return the new object
     */
    public <T> T value(Class<T> type, SharedLock lock) {
        return store.place(ObjectSpec.struct(Structs.type(type)), false, requireOwnLock(lock));
    }

    /**
     * A new struct whose accessors do not lock: Python's {@code RawValue(type)}.
     *
     * @param <T> the {@code @SharedStruct} interface
     * @param type the {@code @SharedStruct} interface
     * @return the new object
     */
    public <T> T rawValue(Class<T> type) {
        return store.place(ObjectSpec.struct(Structs.type(type)), false, null);
    }

    /**
     * A new synchronized value of {@code code}, zero: Python's {@code Value('i')}.
     *
     * @param <V> the value class of the typecode
     * @param code the element type, such as {@link TypeCode#INT}
     * @return the new object
     */
    public <V extends SharedPrimitiveValue> V value(TypeCode<?, ?, V> code) {
        return store.place(ObjectSpec.primitiveValue(Objects.requireNonNull(code, "code")), true, null);
    }

    /**
     * A new value of {@code code} locked by {@code lock}: Python's {@code Value('i', lock=lock)}.
     *
     * @param <V> the value class of the typecode
     * @param code the element type, such as {@link TypeCode#INT}
     * @param lock the lock that its operations take; a lock of this region
     * @return the new object
     */
    public <V extends SharedPrimitiveValue> V value(TypeCode<?, ?, V> code, SharedLock lock) {
        return store.place(ObjectSpec.primitiveValue(Objects.requireNonNull(code, "code")), false, requireOwnLock(lock));
    }

    /**
     * A new value of {@code code} that does not lock: Python's {@code RawValue('d')}.
     *
     * @param <V> the value class of the typecode
     * @param code the element type, such as {@link TypeCode#INT}
     * @return the new object
     */
    public <V extends SharedPrimitiveValue> V rawValue(TypeCode<?, ?, V> code) {
        return store.place(ObjectSpec.primitiveValue(Objects.requireNonNull(code, "code")), false, null);
    }

    /**
     * A new synchronized array of {@code length} zeroed structs: Python's {@code Array(Point, n)}.
     *
     * @param type the {@code @SharedStruct} interface
     * @param length the number of elements
     * @param <T> the {@code @SharedStruct} interface
     * @return the new array
     */
    public <T> SharedArray<T> array(Class<T> type, int length) {
        return store.place(ObjectSpec.structArray(Structs.type(type), length), true, null);
    }

    /**
     * A new array of {@code length} structs locked by {@code lock}: {@code Array(Point, n, lock=lock)}.
     *
     * @param type the {@code @SharedStruct} interface
     * @param length the number of elements
     * @param lock the lock that its operations take; a lock of this region
     * @param <T> the {@code @SharedStruct} interface
     * @return the new array
     */
    public <T> SharedArray<T> array(Class<T> type, int length, SharedLock lock) {
        return store.place(ObjectSpec.structArray(Structs.type(type), length), false, requireOwnLock(lock));
    }

    /**
     * A new array of {@code length} structs that does not lock: Python's {@code RawArray(Point, n)}.
     *
     * @param type the {@code @SharedStruct} interface
     * @param length the number of elements
     * @param <T> the {@code @SharedStruct} interface
     * @return the new array
     */
    public <T> SharedArray<T> rawArray(Class<T> type, int length) {
        return store.place(ObjectSpec.structArray(Structs.type(type), length), false, null);
    }

    /**
     * A new synchronized array holding copies of {@code values}: Python's
     * {@code Array(Point, [(1.875, -6.25), ...])}. Values may be local structs ({@link Structs#local}).
     *
     * @param type the {@code @SharedStruct} interface
     * @param values the initial elements, copied
     * @param <T> the {@code @SharedStruct} interface
     * @return the new array
     */
    public <T> SharedArray<T> array(Class<T> type, List<? extends T> values) {
        return store.initialized(type, values, true, null);
    }

    /**
     * {@link #array(Class, List)} locked by {@code lock}.
     *
     * @param type the {@code @SharedStruct} interface
     * @param values the initial elements, copied
     * @param lock the lock that its operations take; a lock of this region
     * @param <T> the {@code @SharedStruct} interface
     * @return the new array
     */
    public <T> SharedArray<T> array(Class<T> type, List<? extends T> values, SharedLock lock) {
        return store.initialized(type, values, false, requireOwnLock(lock));
    }

    /**
     * {@link #array(Class, List)} without locking: Python's {@code RawArray(Point, [...])}.
     *
     * @param type the {@code @SharedStruct} interface
     * @param values the initial elements, copied
     * @param <T> the {@code @SharedStruct} interface
     * @return the new array
     */
    public <T> SharedArray<T> rawArray(Class<T> type, List<? extends T> values) {
        return store.initialized(type, values, false, null);
    }

    /**
     * A new synchronized array of {@code length} zeros: Python's {@code Array('d', 10)}.
     *
     * @param <A> the array class of the typecode
     * @param code the element type, such as {@link TypeCode#INT}
     * @param length the number of elements
     * @return the new array
     */
    public <A extends SharedPrimitiveArray> A array(TypeCode<A, ?, ?> code, int length) {
        return store.place(ObjectSpec.primitiveArray(Objects.requireNonNull(code, "code"), length), true, null);
    }

    /**
     * A new array of {@code length} zeros locked by {@code lock}: {@code Array('d', 10, lock=lock)}.
     *
     * @param <A> the array class of the typecode
     * @param code the element type, such as {@link TypeCode#INT}
     * @param length the number of elements
     * @param lock the lock that its operations take; a lock of this region
     * @return the new array
     */
    public <A extends SharedPrimitiveArray> A array(TypeCode<A, ?, ?> code, int length, SharedLock lock) {
        return store.place(ObjectSpec.primitiveArray(Objects.requireNonNull(code, "code"), length), false, requireOwnLock(lock));
    }

    /**
     * A new array of {@code length} zeros that does not lock: Python's {@code RawArray('i', 10)}.
     *
     * @param <A> the array class of the typecode
     * @param code the element type, such as {@link TypeCode#INT}
     * @param length the number of elements
     * @return the new array
     */
    public <A extends SharedPrimitiveArray> A rawArray(TypeCode<A, ?, ?> code, int length) {
        return store.place(ObjectSpec.primitiveArray(Objects.requireNonNull(code, "code"), length), false, null);
    }

    /**
     * A new synchronized array holding a copy of {@code values}: Python's {@code Array('i', [1, 2, 3])}.
     *
     * @param <A> the array class of the typecode
     * @param <J> the Java array type of the typecode's elements
     * @param code the element type, such as {@link TypeCode#INT}
     * @param values the initial elements, copied
     * @return the new array
     */
    public <A extends SharedPrimitiveArray, J> A array(TypeCode<A, J, ?> code, J values) {
        return store.initialized(code, values, true, null);
    }

    /**
     * {@link #array(TypeCode, Object)} locked by {@code lock}: {@code Array('c', b'hello', lock=lock)}.
     *
     * @param <A> the array class of the typecode
     * @param <J> the Java array type of the typecode's elements
     * @param code the element type, such as {@link TypeCode#INT}
     * @param values the initial elements, copied
     * @param lock the lock that its operations take; a lock of this region
     * @return the new array
     */
    public <A extends SharedPrimitiveArray, J> A array(TypeCode<A, J, ?> code, J values, SharedLock lock) {
        return store.initialized(code, values, false, requireOwnLock(lock));
    }

    /**
     * {@link #array(TypeCode, Object)} without locking: Python's {@code RawArray('i', [1, 2, 3])}.
     *
     * @param <A> the array class of the typecode
     * @param <J> the Java array type of the typecode's elements
     * @param code the element type, such as {@link TypeCode#INT}
     * @param values the initial elements, copied
     * @return the new array
     */
    public <A extends SharedPrimitiveArray, J> A rawArray(TypeCode<A, J, ?> code, J values) {
        return store.initialized(code, values, false, null);
    }

    /**
     * A new, unlocked lock in this region, to share between objects: Python's {@code Lock()}.
     *
     * @return the new lock
     */
    public SharedLock newLock() {
        return store.newLock();
    }

    // ---- named objects: Boost.Interprocess's find_or_construct ----

    /**
     * The synchronized struct named {@code name}, created (zeroed, with a lock of its own) if there
     * is none. Processes racing to create one name end with one object.
     *
     * @param <T> the {@code @SharedStruct} interface
     * @param name the object's name in the region's directory
     * @param type the {@code @SharedStruct} interface
     * @return the struct
     * @throws IllegalArgumentException if the name is invalid, or the object under it has another
     *     kind or layout (the message names the fields that differ)
     * @throws IllegalStateException if the object under it is raw
     */
    public <T> T findOrCreate(String name, Class<T> type) {
        return names.named(name, length -> ObjectSpec.struct(Structs.type(type)), 1, NamedObjects.Form.SYNCHRONIZED).orElseThrow();
    }

    /**
     * The raw struct named {@code name}, created if there is none; see {@link #findOrCreate(String, Class)}.
     *
     * @param <T> the {@code @SharedStruct} interface
     * @param name the object's name in the region's directory
     * @param type the {@code @SharedStruct} interface
     * @return the struct
     */
    public <T> T findOrCreateRaw(String name, Class<T> type) {
        return names.named(name, length -> ObjectSpec.struct(Structs.type(type)), 1, NamedObjects.Form.RAW).orElseThrow();
    }

    /**
     * The struct named {@code name}, raw or synchronized as it was created; empty if there is none.
     *
     * @param name the object's name in the region's directory
     * @param type the {@code @SharedStruct} interface
     * @param <T> the {@code @SharedStruct} interface
     * @return the struct, or empty
     */
    public <T> Optional<T> find(String name, Class<T> type) {
        return names.named(name, length -> ObjectSpec.struct(Structs.type(type)), 1, null);
    }

    /**
     * The synchronized array of {@code length} structs named {@code name}, created if there is none.
     *
     * @param name the object's name in the region's directory
     * @param type the {@code @SharedStruct} interface
     * @param length the number of elements
     * @param <T> the {@code @SharedStruct} interface
     * @return the array
     */
    public <T> SharedArray<T> findOrCreateArray(String name, Class<T> type, int length) {
        return names.named(name, n -> ObjectSpec.structArray(Structs.type(type), n), length, NamedObjects.Form.SYNCHRONIZED).orElseThrow();
    }

    /**
     * The raw array of {@code length} structs named {@code name}, created if there is none.
     *
     * @param name the object's name in the region's directory
     * @param type the {@code @SharedStruct} interface
     * @param length the number of elements
     * @param <T> the {@code @SharedStruct} interface
     * @return the array
     */
    public <T> SharedArray<T> findOrCreateRawArray(String name, Class<T> type, int length) {
        return names.named(name, n -> ObjectSpec.structArray(Structs.type(type), n), length, NamedObjects.Form.RAW).orElseThrow();
    }

    /**
     * The array of structs named {@code name}, whatever its length; empty if there is none.
     *
     * @param name the object's name in the region's directory
     * @param type the {@code @SharedStruct} interface
     * @param <T> the {@code @SharedStruct} interface
     * @return the array, or empty
     */
    public <T> Optional<SharedArray<T>> findArray(String name, Class<T> type) {
        return names.named(name, n -> ObjectSpec.structArray(Structs.type(type), n), -1, null);
    }

    /**
     * The synchronized primitive array named {@code name}, created with {@code length} zeros if there is none.
     *
     * @param <A> the array class of the typecode
     * @param name the object's name in the region's directory
     * @param code the element type, such as {@link TypeCode#INT}
     * @param length the number of elements
     * @return the array
     */
    public <A extends SharedPrimitiveArray> A findOrCreateArray(String name, TypeCode<A, ?, ?> code, int length) {
        return names.named(name, n -> ObjectSpec.primitiveArray(code, n), length, NamedObjects.Form.SYNCHRONIZED).orElseThrow();
    }

    /**
     * The primitive array named {@code name}, whatever its length; empty if there is none.
     *
     * @param <A> the array class of the typecode
     * @param name the object's name in the region's directory
     * @param code the element type, such as {@link TypeCode#INT}
     * @return the array, or empty
     */
    public <A extends SharedPrimitiveArray> Optional<A> findArray(String name, TypeCode<A, ?, ?> code) {
        return names.named(name, n -> ObjectSpec.primitiveArray(code, n), -1, null);
    }

    /**
     * The synchronized value named {@code name}, created as zero if there is none.
     *
     * @param <V> the value class of the typecode
     * @param name the object's name in the region's directory
     * @param code the element type, such as {@link TypeCode#INT}
     * @return the value
     */
    public <V extends SharedPrimitiveValue> V findOrCreateValue(String name, TypeCode<?, ?, V> code) {
        return names.named(name, n -> ObjectSpec.primitiveValue(code), 1, NamedObjects.Form.SYNCHRONIZED).orElseThrow();
    }

    /**
     * The value named {@code name}; empty if there is none.
     *
     * @param <V> the value class of the typecode
     * @param name the object's name in the region's directory
     * @param code the element type, such as {@link TypeCode#INT}
     * @return the value, or empty
     */
    public <V extends SharedPrimitiveValue> Optional<V> findValue(String name, TypeCode<?, ?, V> code) {
        return names.named(name, n -> ObjectSpec.primitiveValue(code), 1, null);
    }

    // ---- handles ----

    /**
     * The object a handle ({@link Structs#handle}) names, with the same lock: synchronized stays
     * synchronized, raw stays raw. {@code type} is the {@code @SharedStruct} interface, or a
     * primitive array or value class ({@code SharedIntArray.class}, {@code SharedString.class},
     * {@code SharedLongValue.class}); for arrays of structs use {@link #attachArray}.
     *
     * @param <T> the type of the object
     * @param handle a handle from {@link Structs#handle}
     * @param type the {@code @SharedStruct} interface, or a primitive array or value class
     * @return the object, with the lock it was made with
     * @throws IllegalArgumentException for a malformed handle, or one of another region, kind,
     *     type or layout
     * @throws InvalidRegionException if its offsets do not name a live object of this region
     */
    public <T> T attach(String handle, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Handle parsed = parseFor(handle);
        Identity found = parsed.identity();
        ObjectSpec<?> spec;
        if (type.isInterface()) {
            spec = ObjectSpec.struct(Structs.type(type));
        } else if (SharedPrimitiveArray.class.isAssignableFrom(type) || SharedPrimitiveValue.class.isAssignableFrom(type)) {
            TypeCode<?, ?, ?> code = TypeCode.named(found.typeName()).orElseThrow(() -> new IllegalArgumentException(
                    "the handle names a " + found.typeName() + ", which is no typecode this runtime knows"));
            spec = found.kind() == Allocator.Kind.PRIMITIVE_ARRAY ? ObjectSpec.primitiveArray(code, found.length())
                    : ObjectSpec.primitiveValue(code);
        } else {
            throw new IllegalArgumentException("attach takes a @SharedStruct interface or a SharedXxxArray/SharedXxxValue class, not "
                    + type.getName() + "; for an array of structs use attachArray(handle, elementType)");
        }
        Object object = attach(parsed, spec);
        if (!type.isInstance(object)) {
            throw new IllegalArgumentException("the handle names a " + ((SharedObject) object).kind() + ", not a " + type.getSimpleName());
        }
        return type.cast(object);
    }

    /**
     * The array of structs a handle names; see {@link #attach(String, Class)}.
     *
     * @param handle a handle from {@link Structs#handle}
     * @param elementType the elements' {@code @SharedStruct} interface
     * @param <T> the {@code @SharedStruct} interface
     * @return the array
     */
    public <T> SharedArray<T> attachArray(String handle, Class<T> elementType) {
        Handle parsed = parseFor(handle);
        return attach(parsed, ObjectSpec.structArray(Structs.type(elementType), Math.max(1, parsed.identity().length())));
    }

    private Handle parseFor(String handle) {
        Handle parsed = Handle.parse(handle);
        // Before the region id is read: "region ... is closed", not FFM's bare "Already closed".
        checkOpen();
        if (parsed.regionId() != header.regionId()) {
            throw new IllegalArgumentException("the handle is for region " + parsed.region() + " (id "
                    + Long.toHexString(parsed.regionId()) + "), not for " + path + " (id " + Long.toHexString(header.regionId()) + ")");
        }
        return parsed;
    }

    private <T> T attach(Handle handle, ObjectSpec<T> spec) {
        String mismatch = spec.identity().mismatch(handle.identity());
        if (mismatch != null) {
            throw new IllegalArgumentException("the handle cannot be attached as " + spec.typeName() + ": " + mismatch);
        }
        regionLock.lock();
        try {
            return store.checkedView(spec, handle.placement(), "the handle");
        } finally {
            regionLock.unlock();
        }
    }

    /** The handle of a whole object of this region. */
    Handle handleOf(SharedObject object) {
        Placement placement = store.requireLive(object, "has no handle");
        return new Handle(path, header.regionId(), placement, object.spec().identity());
    }

    // ---- freeing ----

    /**
     * Returns the memory of an object (a struct, array, string, value or lock) of this region to
     * the allocator, and its name, if it has one. Views of it and handles to it must not be used
     * afterwards: handles, copies and a second free are refused; the accessors of a view that
     * another thread still holds are not checked. A {@link SharedCondition} is freed under its
     * lock (waiting for it, unless the lock was freed): its waiters in every process wake and
     * their {@code await} throws, as does any later use of it. Freeing an object does not free
     * the conditions of its lock.
     *
     * @param object an object of this region
     * @throws IllegalArgumentException for an object of another region or a view of part of one
     * @throws IllegalStateException if it was freed already, if its own lock or the lock it was
     *     made with is held by another thread (or its own lock waited for), or it is a lock that
     *     is held or still used by live objects
     */
    public void free(Object object) {
        Objects.requireNonNull(object, "object");
        store.free(object, directory);
    }

    // ---- internals ----

    /** The whole mapped region, for {@link RegionInspector}. */
    MemorySegment segment() {
        checkOpen();
        return region;
    }


    /** The region lock with the repair its takeover calls for, for {@link RegionInspector#remove}. */
    RegionGuard regionGuard() {
        return regionLock;
    }

    long offsetOf(SharedLock lock) {
        return store.offsetOf(lock);
    }

    /** The lock cell at {@code offset}, checked to be an allocated one. */
    SharedLock lockAt(long offset) {
        return store.lockAt(offset);
    }

    /** Refuses a whole object of this region that was freed. */
    void requireLive(SharedObject object) {
        store.requireLive(object, "was used");
    }

    /** A copy of {@code object}'s content in new memory of this region, in the same form. */
    <T> T copyOf(SharedObject object) {
        return store.copyOf(object);
    }

    SharedLock requireOwnLock(SharedLock lock) {
        Objects.requireNonNull(lock, "lock");
        if (lock.memory() != this) {
            throw new IllegalArgumentException("the lock lives in " + describeOther(lock.memory()) + "; objects of " + path
                    + " can only use its own locks");
        }
        return lock;
    }

    /**
     * {@code other}, for messages refusing its objects here: the same file opened twice is not
     * "another region", but offsets are taken in each mapping's own memory, so its objects are
     * still refused; the message says how to get them here.
     */
    String describeOther(SharedMemory other) {
        if (other.path.equals(path)) {
            return "another SharedMemory of the same region file (" + path + "); attach its handle to this one";
        }
        return "another region (" + other.path + ")";
    }

    /** Whether the region is still mapped in this process. */
    boolean isOpen() {
        return !closing && arena.scope().isAlive();
    }

    /**
     * Set by close once it no longer refuses, before it closes the objects' scopes: from then on
     * an access that fails says "region ... is closed" (see {@link #closedOr}), not FFM's bare
     * "Already closed", though the region is unmapped only later.
     */
    private volatile boolean closing;

    /**
     * What an access that failed with {@code e} reports: "region ... is closed" when this
     * process closed the region (FFM says only "Already closed"), else {@code e} itself; an
     * exception that says so already is passed on as it is, however many layers it crosses.
     */
    IllegalStateException closedOr(IllegalStateException e) {
        return isOpen() || e instanceof RegionClosedException ? e
                : dev.sharedstruct.internal.region.ClosedScopes.forgetInterrupt(new RegionClosedException(path, e));
    }

    void checkOpen() {
        if (!arena.scope().isAlive()) {
            throw new RegionClosedException(path, null);
        }
    }

    /** "region ... is closed": one type, so that the layers that translate FFM's exceptions translate it once. */
    private static final class RegionClosedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        RegionClosedException(Path path, Throwable cause) {
            super("region " + path + " is closed", cause);
        }
    }

    /**
     * Unmaps the region and, if this process created it without {@link RegionOption#KEEP_FILE}, deletes its file
     * (unless the path names another file by then: a region made again at the same path is not deleted).
     *
     * @throws IllegalStateException if a thread of this process holds a lock of the region: once
     *     unmapped, its release could not reach the lock, which other processes would then wait
     *     for until this process exits; release it first (the region stays open)
     */
    @Override
    public synchronized void close() {
        if (!arena.scope().isAlive()) {
            return;
        }
        // Keeps this process's allocations and names out until the region is unmapped: one
        // that took the region lock after the look below would lose the mapping while holding it.
        boolean closed = regionLock.closeUnlessBusy(() -> {
            refuseWhileLocksAreHeldHere();
            closing = true;
            store.closeAll();
            if (OBJECT_SCOPES) {
                synchronized (OPEN_MAPPINGS) {
                    unlist();
                    disownLocksCutOff(region, allocator);
                }
                arena.close();
            } else {
                // Listed until unmapped: a holder can still release through it until then, and a
                // mapping opened meanwhile must not take itself for the file's only one.
                arena.close();
                disownLocksCutOffByTheUnmapping();
            }
        });
        if (!closed) {
            throw new IllegalStateException("cannot close region " + path
                    + ": a thread of this process is allocating or naming in it; close it once that is done");
        }
        if (deleteOnClose && (createdFile == null || createdFile.equals(fileKey(path)))) {
            deleteQuietly(path);
        }
    }

    /**
     * Whether each object's memory has a scope of its own, closed before the region's (with
     * native access; see {@code ObjectScopes}): then close's look for cut-off holds runs between
     * the two, through this mapping; else after the unmapping, through a short-lived one.
     */
    private static final boolean OBJECT_SCOPES = SharedMemory.class.getModule().isNativeAccessEnabled();

    /**
     * Once no thread of this process can claim or release a lock cell of the region through this
     * mapping any more (the objects' scopes closed, or the region unmapped), a thread that claimed
     * one after {@link #refuseWhileLocksAreHeldHere()} looked can never release it, and other
     * processes would wait for it until this one exits. Such holds are left to be taken over as a
     * dead owner's ({@link SharedLock#disown}); {@code through} and {@code cells} reach the region.
     * A hold made in that moment through another mapping of the same region in this process
     * cannot be told apart, and its holder can still release it: while another mapping of the
     * region is open here, nothing is disowned, and the thread whose claim or release the closed
     * scope refused finishes it through that mapping itself (see {@code SharedLock.cutOffClaim}).
     */
    private void disownLocksCutOff(MemorySegment through, Allocator cells) {
        List<MemorySegment> cutOff = lockCellsHeldHere(through, cells, SharedLock::claimedInThisProcess);
        // Looked at after the cells: a mapping opened since could only have claimed a cell seen free.
        // With another mapping of the region open here, a hold may be a live one made through it,
        // which its holder can release: taking it over would give the lock two holders. Left held.
        // (Of two mappings closing at once, each unlisted before its walk, the later look sees
        // neither, and disowns.)
        // Only a mapping of the same file counts: a copy's mapping (same region id, other cells)
        // can neither hold these cells nor finish the cut-off claims (see anotherOpenMapping).
        if (!otherMappingsOfThisFile().isEmpty()
                || (countedAs != null && OPEN_MAPPINGS.getOrDefault(countedAs, List.of()).stream()
                        .anyMatch(other -> other != this && (mappedFile == null || other.mappedFile == null)))) {
            return;
        }
        for (MemorySegment lockCell : cutOff) {
            SharedLock.disown(lockCell);
        }
        if (mappedFile != null) {
            CUT_OFF.remove(mappedFile); // disowned just now: to be taken over, not finished
        }
    }

    /**
     * {@link #disownLocksCutOff} without native access, where the objects' memory is the region's
     * own and only the unmapping cuts a holder off: through {@link #closeView}, the second mapping
     * of the same file made with the first (not a new mapping of the path, which may lead to
     * another file by now, or none, or one that open refuses), which is then closed.
     */
    private void disownLocksCutOffByTheUnmapping() {
        try {
            RegionHeader sameHeader = new RegionHeader(closeView);
            Allocator cells = new Allocator(closeView, sameHeader, new IntentLog(sameHeader), path.toString());
            synchronized (OPEN_MAPPINGS) {
                unlist();
                disownLocksCutOff(closeView, cells);
            }
        } finally {
            closeViewArena.close();
        }
    }

    /**
     * Takes this closing mapping off the list of its region's open mappings, before the look for
     * cut-off holds: of two mappings closing at once, the later look then sees no other.
     */
    private void unlist() {
        if (countedAs != null) {
            OPEN_MAPPINGS.computeIfPresent(countedAs, (id, open) -> {
                List<SharedMemory> others = open.stream().filter(mapping -> mapping != this).toList();
                return others.isEmpty() ? null : others;
            });
        }
    }

    /**
     * Lists this mapping among the open mappings of its region in this process, finishes through
     * it what closes of the file's other mappings cut off and left to it ({@link #CUT_OFF}), and,
     * when it is the only mapping here of a copy of a region mapped here before, disowns the holds
     * in this process's name that the file carries; returns it.
     */
    private SharedMemory counted() {
        mappedFile = createdFile != null ? createdFile : fileKey(path);
        countedAs = header.regionId();
        synchronized (OPEN_MAPPINGS) {
            OPEN_MAPPINGS.merge(countedAs, List.of(this),
                    (open, added) -> java.util.stream.Stream.concat(open.stream(), added.stream()).toList());
            finishWhatClosesLeft();
            if (mayBeACopyOfARegionMappedHere() && otherMappingsOfThisFile().isEmpty()) {
                disownHoldsLeftInTheFile();
            }
        }
        return this;
    }

    /**
     * Claims and releases that a close cut off while no other mapping of the file was open in
     * this process, by file key: the next mapping of the file opened here finishes them.
     * {@code OPEN_MAPPINGS}'s monitor guards them, and makes one step of the listing of a mapping,
     * a cut-off thread's look for another mapping, and a close's look before it disowns: with the
     * looks apart, a mapping opened between them made both stand back (the thread found none, the
     * close saw one), and the hold stayed held in the name of this live process.
     */
    private static final java.util.Map<Object, List<CutOff>> CUT_OFF = new java.util.HashMap<>();

    /** The files (by key) of each region (by id) this process has mapped; under {@code OPEN_MAPPINGS}'s monitor. */
    private static final java.util.Map<Long, Set<Object>> MAPPED_FILES = new java.util.HashMap<>();

    /**
     * Whether this mapping's file may carry holds in this process's name that no thread of it
     * can release: only a copy (another file, or one of unknown key) of a region this process has
     * mapped, since a region id is drawn at random when a region is made, and close leaves no such
     * hold in a file it unmaps (it disowns them, or another mapping finishes them). Spares the
     * walk of every block, and the page faults of a fresh mapping, on every other open. Notes
     * this file as mapped.
     */
    private boolean mayBeACopyOfARegionMappedHere() {
        Set<Object> files = MAPPED_FILES.computeIfAbsent(countedAs, id -> new java.util.HashSet<>());
        boolean copy = !files.isEmpty() && (mappedFile == null || !files.contains(mappedFile));
        if (mappedFile != null) {
            files.add(mappedFile);
        }
        return copy;
    }

    /** A claim or release of the lock cell at {@code cell} (block generation {@code generation}) that a close cut off; {@code finish} completes it through another mapping. */
    private record CutOff(long cell, long generation, java.util.function.Consumer<SharedLock> finish) {
    }

    /**
     * Another open mapping of this region's file in this process, through which a thread whose
     * claim or release at {@code cell} this mapping's close cut off finishes it; or, when there
     * is none, null, with {@code finish} left to the next mapping of the file opened here.
     */
    SharedMemory anotherOpenMappingOrLeave(long cell, long generation, java.util.function.Consumer<SharedLock> finish) {
        synchronized (OPEN_MAPPINGS) {
            SharedMemory other = anotherOpenMapping();
            if (other == null && mappedFile != null) {
                CUT_OFF.computeIfAbsent(mappedFile, file -> new java.util.ArrayList<>()).add(new CutOff(cell, generation, finish));
            }
            return other;
        }
    }

    /**
     * Finishes, through this new mapping, what closes of this file's other mappings cut off and
     * left to the next one; a hold disowned meanwhile is left to be taken over (see
     * {@code SharedLock.finishCutOffClaim}). Under {@code OPEN_MAPPINGS}'s monitor.
     */
    private void finishWhatClosesLeft() {
        List<CutOff> left = mappedFile == null ? null : CUT_OFF.remove(mappedFile);
        for (CutOff cutOff : left == null ? List.<CutOff>of() : left) {
            try {
                cutOff.finish().accept(sameLockAt(cutOff.cell(), cutOff.generation()));
            } catch (IllegalStateException | InvalidRegionException refused) {
                // A cell whose block is gone or corrupt: nothing of this process's to finish there.
            }
        }
    }

    /**
     * With no other mapping of this file open in this process, no thread of it can hold one of the
     * file's locks: a cell naming this process is a copy's (the file copied while a lock was
     * held). Each is disowned, to be taken over, by this process too, with "the previous owner
     * died" (the data it guards may be half-written); else close refused for it forever and other
     * processes waited for it.
     */
    private void disownHoldsLeftInTheFile() {
        if (SharedLock.claimedInThisProcess(header.lockCell()) != 0) {
            SharedLock.disown(header.lockCell());
        }
        for (MemorySegment lockCell : lockCellsHeldHere(region, allocator, SharedLock::claimedInThisProcess)) {
            SharedLock.disown(lockCell);
        }
    }

    /**
     * Another mapping of the same region file that is open in this process, or null: where a
     * thread whose hold this mapping's close cut off can still reach the lock.
     */
    private SharedMemory anotherOpenMapping() {
        for (SharedMemory other : otherMappingsOfThisFile()) {
            if (other.isOpen()) {
                return other;
            }
        }
        return null;
    }

    /** The other mappings of this region's file listed as open in this process (not copies with its region id). */
    private List<SharedMemory> otherMappingsOfThisFile() {
        if (countedAs == null || mappedFile == null) {
            return List.of();
        }
        return OPEN_MAPPINGS.getOrDefault(countedAs, List.of()).stream()
                .filter(other -> other != this && mappedFile.equals(other.mappedFile)).toList();
    }

    /**
     * The lock objects of blocks' cells made through this mapping, by the cell's offset, weakly:
     * what tells a claim that a closing scope cut off from a hold the same thread has through
     * another lock object ({@link #heldThroughAnotherLockObject}). Written when a lock object is
     * made, never on a claim or release.
     */
    private final java.util.concurrent.ConcurrentHashMap<Long, List<java.lang.ref.WeakReference<SharedLock>>> lockObjects =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Lists {@code lock} among this mapping's lock objects of its cell, dropping those collected. */
    void register(SharedLock lock) {
        lockObjects.compute(offsetOf(lock.cell()), (cell, known) -> {
            List<java.lang.ref.WeakReference<SharedLock>> kept = new java.util.ArrayList<>();
            if (known != null) {
                for (var reference : known) {
                    if (reference.get() != null) {
                        kept.add(reference);
                    }
                }
            }
            kept.add(new java.lang.ref.WeakReference<>(lock));
            return kept;
        });
    }

    /**
     * Whether the thread {@code threadId} holds the lock whose cell is at {@code cell} through a
     * lock object other than {@code except}, made through this mapping or another mapping of the
     * same region file in this process.
     */
    boolean heldThroughAnotherLockObject(long cell, long threadId, SharedLock except) {
        List<SharedMemory> mappings = new java.util.ArrayList<>(otherMappingsOfThisFile());
        mappings.add(this);
        for (SharedMemory mapping : mappings) {
            for (var reference : mapping.lockObjects.getOrDefault(cell, List.of())) {
                SharedLock lock = reference.get();
                if (lock != null && lock != except && lock.holderId() == threadId) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Where {@code segment} (of this mapping, open or closed) starts in the region. */
    long offsetOf(MemorySegment segment) {
        return segment.address() - region.address();
    }

    /**
     * Runs {@code work} on the lock whose cell is at {@code cell} in the region, reached through
     * this mapping (see {@link #sameLockAt}), while no close of this mapping can run: a close then
     * neither unmaps the cell under the work nor refuses or disowns for the hold the work ends.
     * Waits for a close that is running; does nothing, and returns false, once this mapping is closed.
     */
    boolean withLockAt(long cell, long generation, java.util.function.Consumer<SharedLock> work) {
        boolean[] done = new boolean[1];
        regionLock.runHoldingTheGate(() -> {
            if (isOpen()) {
                work.accept(sameLockAt(cell, generation));
                done[0] = true;
            }
        });
        return done[0];
    }

    /**
     * The lock whose cell is at {@code cell} in the region, reached through this mapping: in the
     * block whose generation was {@code generation}, or (generation 0) the region header's.
     */
    private SharedLock sameLockAt(long cell, long generation) {
        if (generation == 0) {
            return new SharedLock(this, region.asSlice(cell, SharedLock.CELL.byteSize()));
        }
        return SharedLock.inBlock(this, region, cell, new Liveness(region, cell, generation));
    }

    private void refuseWhileLocksAreHeldHere() {
        long regionLockHolder = SharedLock.holderInThisProcess(header.lockCell());
        if (regionLockHolder != 0) {
            throw new IllegalStateException("cannot close region " + path + ": " + ThreadToken.describe(regionLockHolder)
                    + " of this process is allocating or naming in it; close it once that is done");
        }
        List<MemorySegment> held = lockCellsHeldHere(region, allocator, SharedLock::holderInThisProcess);
        if (!held.isEmpty()) {
            MemorySegment first = held.getFirst();
            throw new IllegalStateException("cannot close region " + path + ": "
                    + ThreadToken.describe(SharedLock.holderInThisProcess(first))
                    + " of this process holds the lock at offset " + (first.address() - region.address())
                    + (held.size() > 1 ? " (and " + (held.size() - 1) + " more)" : "")
                    + "; release it first, or other processes would wait for it until this process exits");
        }
    }

    /**
     * The lock cells of the region's blocks that a thread of this process holds, as
     * {@code holderHere} tells (a thread's token, 0 for none), in address order;
     * none when the region is too corrupt to walk (it can still be closed: its locks are not
     * close's business then). Read without the region lock, which would write its cell: closing
     * stays read-only (the command's ls, show, ... close too). A walk torn by another process's
     * allocation is refused by the tiling's checks; the blocks of held locks cannot be freed, so
     * they are where the walk looks.
     */
    private static List<MemorySegment> lockCellsHeldHere(MemorySegment region, Allocator allocator,
            java.util.function.ToLongFunction<MemorySegment> holderHere) {
        List<MemorySegment> held = new java.util.ArrayList<>();
        try {
            allocator.forEachLockCell(SharedLock.CELL.byteSize(), cell -> {
                // Most cells are free: their owner word, read in place, says so without a slice.
                if (SharedLock.ownerWordAt(region, cell) < 0) {
                    return;
                }
                MemorySegment lockCell = region.asSlice(cell, SharedLock.CELL.byteSize());
                if (holderHere.applyAsLong(lockCell) != 0) {
                    held.add(lockCell);
                }
            });
        } catch (InvalidRegionException tornOrCorrupt) {
            return List.of();
        }
        return held;
    }

    /** The file key of the file at {@code path}, or null when there is none or the file system has none. */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
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
