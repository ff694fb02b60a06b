package dev.sharedstruct.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads and writes single words of a region file behind the runtime's back, as an attacker (or a stray write) would. */
final class RegionWords {
    /** Region header words (docs/FORMAT.md §2). */
    static final long HDR_TOP = 64;
    static final long HDR_DIRECTORY = 88;
    static final long HDR_INTENT = 112;
    static final long HDR_INTENT_BLOCKS = 120;
    static final long HDR_INDEX = 144;
    static final long HDR_INDEX_BUCKETS = 152;
    static final long HDR_REPAIR_REQUESTED = 184;
    static final long HDR_BINS = 256;
    static final int BINS = 128;
    static final long DATA_START = 1280;
    /** Block header words, from the block's start (payload - {@link #BLOCK_HEADER}). */
    static final long BLOCK_HEADER = 64;
    static final long BLK_STATE_AND_KIND = 8;
    static final long BLK_GENERATION = 16;
    static final long BLK_LOCK = 24;
    static final long BLK_ENTRY = 56;
    /** Block kinds. */
    static final int KIND_LOCK = 1;
    static final int KIND_TEXT = 7;
    static final int OWN_LOCK = 0x100;

    private RegionWords() {
    }

    /** A number field ({@code block}, {@code lock}, ...) of {@code object}'s handle: where the object sits in its file. */
    static long handleField(Object object, String field) {
        String handle = dev.sharedstruct.Structs.handle(object);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]" + field + "=(\\d+)").matcher(handle);
        if (!m.find()) {
            throw new AssertionError("no " + field + " in " + handle);
        }
        return Long.parseLong(m.group(1));
    }

    /** Where a lock cell keeps its owner's process start time. */
    static final long OWNER_START = dev.sharedstruct.SharedLock.CELL.byteOffset(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("owner_start"));

    /**
     * Whether the lock cell at {@code cell} of the file names a thread of this live process as its
     * owner with a start time of 0 or this process's (not the one a disown leaves, whose top bit
     * is set): a hold every other process waits for until this one exits. Read from the file, not
     * through a mapping: a mapping that is its file's only one in this process disowns such holds
     * as it opens, which would hide what close left.
     */
    static boolean heldInTheNameOfThisProcess(Path region, long cell) {
        long owner = read(region, cell);
        return owner > 0 && (owner >>> 32) == ProcessHandle.current().pid() && read(region, cell + OWNER_START) >= 0;
    }

    /**
     * Writes into the lock cell at {@code cell} what a claim of the calling thread leaves when its
     * compare-and-set was made and the store of its start time after it was refused (by a closing
     * scope), on a cell whose {@code owner_start} was 0: one last held by a peer that cannot read
     * start times, or never claimed in a file made before new cells got their allocator's start
     * time. This thread of this process is the owner, {@code owner_start} 0.
     */
    static void forgeClaimCutOffBeforeItsStartTime(Path region, long cell) {
        long owner = read(region, cell);
        if (owner >= 0) {
            throw new AssertionError("the lock cell at " + cell + " is not free: its owner is " + owner);
        }
        write(region, cell + OWNER_START, 0);
        write(region, cell, ProcessHandle.current().pid() << 32 | Thread.currentThread().threadId());
    }

    /** The offset of the cell of the first object's own lock in {@code shm}. */
    static long firstOwnLockCell(dev.sharedstruct.SharedMemory shm) {
        return dev.sharedstruct.RegionInspector.of(shm).locks().stream()
                .filter(lock -> lock.usedBy().startsWith("own lock")).findFirst().orElseThrow().offset();
    }

    static long read(Path region, long offset) {
        return bytes(region, offset, 8).getLong(0);
    }

    static int readInt(Path region, long offset) {
        return bytes(region, offset, 4).getInt(0);
    }

    static void write(Path region, long offset, long value) {
        put(region, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    /**
     * Forges an owed repair of a named-object operation cut short: the intent record says
     * {@code operation} (1 add, 2 remove) and names {@code blocks} (three payload offsets, 0 for
     * none), and a repair is requested, as a peer's takeover of the region lock leaves it.
     */
    static void forgeOwedIntent(Path region, long operation, long... blocks) {
        for (int slot = 0; slot < 3; slot++) {
            write(region, HDR_INTENT_BLOCKS + 8L * slot, slot < blocks.length ? blocks[slot] : 0);
        }
        write(region, HDR_INTENT, operation);
        write(region, HDR_REPAIR_REQUESTED, 1);
    }

    static void writeInt(Path region, long offset, int value) {
        put(region, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    /** {@code count} little-endian bytes of the file at {@code offset}. */
    private static ByteBuffer bytes(Path region, long offset, int count) {
        try (FileChannel channel = FileChannel.open(region, StandardOpenOption.READ)) {
            ByteBuffer word = ByteBuffer.allocate(count).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(word, offset);
            return word;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(Path region, long offset, ByteBuffer word) {
        try (FileChannel channel = FileChannel.open(region, StandardOpenOption.WRITE)) {
            channel.write(word, offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
