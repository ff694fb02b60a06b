package dev.sharedstruct;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Checks a region file before it is used, reading it without changing it: every refusal names
 * the file and what is wrong, so that a corrupt or foreign file never yields a wrong answer.
 */
final class RegionValidator {
    private RegionValidator() {
    }

    /**
     * Waits until the region's creator has written the header and set {@code ready}, then checks
     * the header and returns the region's size. A file that is plainly not a region is refused
     * at once; one that stays uninitialised is refused after {@link SharedMemory#READY_TIMEOUT_NANOS}.
     */
    static long awaitReady(Path path, FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + SharedMemory.READY_TIMEOUT_NANOS;
        long pause = 100_000;
        while (true) {
            long fileSize = channel.size();
            ByteBuffer bytes = ByteBuffer.allocate((int) RegionHeader.LAYOUT.byteSize()).order(ByteOrder.nativeOrder());
            channel.read(bytes, 0);
            bytes.flip();
            long magic = bytes.remaining() >= 8 ? bytes.getLong(0) : 0;
            if (magic != 0 && magic != RegionHeader.MAGIC) {
                throw new InvalidRegionException(path + " is not a sharedstruct region: it does not start with \"SHSTRUCT\"");
            }
            // The creator writes the magic first and sets ready last: fields in between are only
            // trusted once ready is seen, or an opener may read a version not written yet.
            if (magic == RegionHeader.MAGIC && bytes.remaining() >= 24 && bytes.getInt(12) == 1) {
                int version = bytes.getInt(8);
                if (version != RegionHeader.FORMAT_VERSION) {
                    throw new InvalidRegionException(path + " is a region of format version " + version
                            + ", but this runtime reads version " + RegionHeader.FORMAT_VERSION);
                }
                long size = bytes.getLong(16);
                if (fileSize < RegionHeader.DATA_START || size != fileSize) {
                    throw new InvalidRegionException(path + " is " + (fileSize < size ? "truncated" : "longer than its header says")
                            + ": its header says " + size + " bytes, the file has " + fileSize);
                }
                if (size < SharedMemory.MIN_SIZE) {
                    throw new InvalidRegionException(path + " has a header that gives an impossible size of " + size + " bytes");
                }
                return size;
            }
            if (System.nanoTime() > deadline) {
                throw new InvalidRegionException(path + " was never initialised as a region (" + fileSize
                        + " bytes, no ready header): its creator died, or it is not a region file");
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 10_000_000);
        }
    }

    /** Checks the allocator and directory state of a mapped, ready region. */
    static void checkMapped(Path path, RegionHeader header, long size) {
        long top = header.top();
        check(path, top >= RegionHeader.DATA_START && top <= size && top % Allocator.ALIGNMENT == 0, "top " + top);
        // The free list links blocks (header offsets); the directory links payloads.
        check(path, header.freeList() == 0 || inHeap(header.freeList() + Allocator.HEADER, top), "free list " + header.freeList());
        check(path, inHeap(header.directory(), top), "directory " + header.directory());
        check(path, header.freeBytes() >= 0 && header.freeBytes() <= size, "free bytes " + header.freeBytes());
    }

    private static boolean inHeap(long offset, long top) {
        return offset == 0 || offset >= RegionHeader.DATA_START + Allocator.HEADER && offset < top;
    }

    private static void check(Path path, boolean valid, String what) {
        if (!valid) {
            throw new InvalidRegionException(path + " has a corrupt header: " + what + " is outside the region");
        }
    }
}
