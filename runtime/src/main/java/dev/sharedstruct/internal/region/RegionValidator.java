package dev.sharedstruct.internal.region;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.SharedMemory;

/**
 * Checks a region file before it is used, reading it without changing it: every refusal names
 * the file and what is wrong, so that a corrupt or foreign file never yields a wrong answer.
 */
public final class RegionValidator {
    private RegionValidator() {
    }

    /**
     * Checks the header of a region file and returns the region's size. Regions are published
     * only once complete ({@link RegionFiles#publish}), so there is nothing to wait for: a file
     * that is not a complete region of this format is refused at once, whatever its length. Only
     * fields that never change after creation (magic, version, ready, size) are read here; what
     * other processes change is checked under the region lock ({@link #checkMapped}).
     */
    public static long checkHeader(Path path, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < RegionHeader.DATA_START) {
            throw new InvalidRegionException(path + " is not a sharedstruct region: it has " + fileSize
                    + " bytes, fewer than a region header's " + RegionHeader.DATA_START);
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) RegionHeader.LAYOUT.byteSize()).order(ByteOrder.nativeOrder());
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0) {
            // read the whole header
        }
        if (bytes.hasRemaining()) {
            throw new InvalidRegionException(path + " is not a sharedstruct region: its header could not be read whole");
        }
        if (bytes.getLong(0) != RegionHeader.MAGIC) {
            throw new InvalidRegionException(path + " is not a sharedstruct region: it does not start with \"SHSTRUCT\"");
        }
        int version = bytes.getInt(8);
        if (version != RegionHeader.FORMAT_VERSION) {
            throw new InvalidRegionException(path + " is a region of format version " + version
                    + ", but this runtime reads version " + RegionHeader.FORMAT_VERSION);
        }
        if (bytes.getInt(12) != 1) {
            throw new InvalidRegionException(path + " is not a complete region: its header's ready flag is "
                    + bytes.getInt(12) + ", not 1 (a creator of another runtime died while writing it?)");
        }
        long size = bytes.getLong(16);
        if (size < SharedMemory.MIN_SIZE || size % Allocator.ALIGNMENT != 0) {
            throw new InvalidRegionException(path + " has a header that gives an impossible size of " + size + " bytes");
        }
        if (size != fileSize) {
            throw new InvalidRegionException(path + " is " + (fileSize < size ? "truncated" : "longer than its header says")
                    + ": its header says " + size + " bytes, the file has " + fileSize);
        }
        return size;
    }

    /**
     * Checks the allocator and directory words of a mapped region against stable bounds only:
     * other processes change them at any time, so each is checked to lie inside the region (which
     * holds for every value a good region ever has), never against another word read at another
     * moment. Their consistency with each other is checked under the region lock by each
     * operation's bounded walks and by {@link SharedMemory#verify()}. Takes no lock and writes
     * nothing, so a refused file is left exactly as it was.
     */
    public static void checkMapped(Path path, java.lang.foreign.MemorySegment region, RegionHeader header, long size) {
        long top = header.top();
        check(path, top >= RegionHeader.DATA_START && top <= size && top % Allocator.ALIGNMENT == 0, "top " + top);
        long directory = header.directory();
        check(path, inHeap(directory, RegionHeader.DATA_START + Allocator.HEADER, size), "directory " + directory);
        long freeBytes = header.freeBytes();
        check(path, freeBytes >= 0 && freeBytes <= size, "free bytes " + freeBytes);
        // Set once by the creator: stable, so checked against each other too.
        long index = header.index();
        long buckets = header.indexBuckets();
        check(path, inHeap(index, RegionHeader.DATA_START + Allocator.HEADER, size) && index != 0, "name index " + index);
        if (buckets != Directory.bucketsFor(size)) {
            // The format fixes the count by the size (FORMAT.md §4.2): any other was forged.
            throw new InvalidRegionException(path + " has a corrupt header: its name index has " + buckets
                    + " buckets, a region of " + size + " bytes has " + Directory.bucketsFor(size));
        }
        check(path, buckets <= (size - index) / 8, "name index of " + buckets + " buckets");
        // The block-start map is the first block, made with the region and never freed: stable too.
        long starts = header.starts();
        check(path, starts == BlockStarts.PAYLOAD, "block-start map " + starts);
        BlockHeader first = new BlockHeader(region);
        long block = RegionHeader.DATA_START;
        long blockSize = first.size(block);
        if (first.state(block) != BlockHeader.ALLOCATED || first.kind(block) != Allocator.Kind.STARTS
                || blockSize < Allocator.HEADER + BlockStarts.bytesFor(size) || blockSize > size - block) {
            throw new InvalidRegionException(path + " is corrupt: its first block (state 0x" + Integer.toHexString(first.state(block) & 0xFFFF)
                    + ", kind " + first.kind(block) + ", size " + blockSize + ") is not the block-start map of "
                    + BlockStarts.bytesFor(size) + " bytes a region of " + size + " bytes has");
        }
    }

    private static boolean inHeap(long offset, long lowest, long size) {
        return offset == 0 || offset >= lowest && offset < size && offset % Allocator.ALIGNMENT == 0;
    }

    private static void check(Path path, boolean valid, String what) {
        if (!valid) {
            throw new InvalidRegionException(path + " has a corrupt header: " + what + " is outside the region");
        }
    }
}
