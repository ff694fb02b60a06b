package dev.sharedstruct.internal.region;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.sharedstruct.RegionSpaceException;

/**
 * Makes a new region file's memory real before it is mapped, so that a full {@code /dev/shm}
 * fails at create with a clear message rather than with a fault (an {@code InternalError}) when
 * a page is first touched, much later and somewhere else.
 *
 * <p>With native access enabled this is one {@code posix_fallocate(3)} through FFM; without it
 * (a restricted call would print a warning) the file is written with zeros, which reserves the
 * same pages on tmpfs at the cost of one copy.
 */
public final class SpaceReservation {
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int ENOSPC = 28;
    private static final Native NATIVE = Native.load();

    private SpaceReservation() {
    }

    /**
     * Reserves {@code bytes} for the file at {@code path} (open as {@code channel}).
     *
     * @throws RegionSpaceException when the file system has no room, naming what was asked and what is free
     */
    public static void reserve(Path path, FileChannel channel, long bytes) throws IOException {
        if (NATIVE != null) {
            int error = NATIVE.fallocate(path, bytes);
            if (error == 0) {
                return;
            }
            if (error == ENOSPC) {
                throw full(path, bytes);
            }
            // EOPNOTSUPP and the like: the file system cannot reserve; write the zeros instead.
        }
        writeZeros(path, channel, bytes);
    }

    private static void writeZeros(Path path, FileChannel channel, long bytes) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(bytes, 1 << 20));
        try {
            for (long at = 0; at < bytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
                at += channel.write(zeros, at);
            }
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("No space left")) {
                throw full(path, bytes);
            }
            throw e;
        }
    }

    private static RegionSpaceException full(Path path, long bytes) {
        long free;
        try {
            free = Files.getFileStore(path.getParent() == null ? path : path.getParent()).getUsableSpace();
        } catch (IOException e) {
            free = -1;
        }
        return new RegionSpaceException("cannot create a region of " + bytes + " bytes in " + path.getParent()
                + ": the file system has only " + (free < 0 ? "an unknown number of" : Long.toString(free))
                + " bytes free (No space left on device)");
    }

    /** libc's open, posix_fallocate and close; null when native access is not enabled. */
    private record Native(MethodHandle open, MethodHandle fallocate, MethodHandle close) {
        @SuppressWarnings("restricted")
        static Native load() {
            if (!SpaceReservation.class.getModule().isNativeAccessEnabled() || !System.getProperty("os.name").equals("Linux")) {
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                MethodHandle open = linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
                MethodHandle fallocate = linker.downcallHandle(libc.find("posix_fallocate").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
                MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
                return new Native(open, fallocate, close);
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** posix_fallocate's error number (0 on success); -1 when the file could not be opened. */
        int fallocate(Path path, long bytes) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment name = arena.allocateFrom(path.toString());
                int fd = (int) open.invokeExact(name, O_RDWR | O_CLOEXEC);
                if (fd < 0) {
                    return -1;
                }
                try {
                    return (int) fallocate.invokeExact(fd, 0L, bytes);
                } finally {
                    int ignored = (int) close.invokeExact(fd);
                }
            } catch (Throwable e) {
                return -1;
            }
        }
    }
}
