package dev.sharedstruct.tests;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.DataKinds.Vec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A region file whose struct "p1" (a {@link Vec}, 16 bytes) has a stored layout text of our
 * choosing, however long, as an attacker crafts one: the text is written into the block of a byte
 * array "blob", that block is marked a {@code TEXT} block, and p1's directory entry points its
 * {@code layout} word at it (docs/FORMAT.md §2 and §4.1). Nothing else is changed.
 */
final class ForgedLayout {
    private static final int BLOCK_HEADER = 64;
    private static final int BLOCK_KIND = 10;
    private static final short KIND_TEXT = 7;
    private static final int HEADER_DIRECTORY = 88;
    private static final int DIR_NEXT = 0;
    private static final int DIR_BLOCK = 32;
    private static final int DIR_LAYOUT = 64;
    private static final int DIR_NAME = 88;
    private static final int DIR_NAME_BYTES = 128;

    private ForgedLayout() {
    }

    /** The region {@code file}, made with p1 and blob, p1's layout text then replaced by {@code text}. */
    static Path region(Path file, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        long bytes = ((utf8.length + (1L << 16)) | 0xFFFF) + 1; // the blob and 64 KiB more, in whole 64 KiB
        try (SharedMemory shm = SharedMemory.create(file, bytes, RegionOption.KEEP_FILE)) {
            shm.findOrCreate("p1", Vec.class).x(1.5);
            shm.findOrCreateArray("blob", TypeCode.BYTE, utf8.length + 1);
        }
        ByteBuffer region = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long p1 = entry(region, "p1");
        int blob = (int) region.getLong((int) entry(region, "blob") + DIR_BLOCK);
        region.putShort(blob - BLOCK_HEADER + BLOCK_KIND, KIND_TEXT);
        region.put(blob, utf8).put(blob + utf8.length, (byte) 0);
        region.putLong((int) p1 + DIR_LAYOUT, blob);
        return Files.write(file, region.array());
    }

    /** The payload offset of the directory entry named {@code name}. */
    private static long entry(ByteBuffer region, String name) {
        for (long entry = region.getLong(HEADER_DIRECTORY); entry != 0; entry = region.getLong((int) entry + DIR_NEXT)) {
            byte[] stored = new byte[DIR_NAME_BYTES];
            region.get((int) entry + DIR_NAME, stored);
            if (new String(stored, StandardCharsets.UTF_8).replace("\0", "").equals(name)) {
                return entry;
            }
        }
        throw new IllegalStateException("no entry " + name);
    }
}
