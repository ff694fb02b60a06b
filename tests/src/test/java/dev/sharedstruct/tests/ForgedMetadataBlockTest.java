package dev.sharedstruct.tests;

import static dev.sharedstruct.tests.RegionWords.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Words that name blocks to free, forged to name the region's own metadata: the block-start map
 * (the first block, made with the region) and the name index. Freeing either would unmark or
 * unlink every object, so each such word must be refused, or left alone by the repair, before
 * anything is freed, and the region must keep working.
 */
class ForgedMetadataBlockTest {
    /** The block-start map's payload: the first block of every region. */
    private static final long STARTS = DATA_START + BLOCK_HEADER;
    /** Where a directory entry keeps the payload offset of its layout text (docs/FORMAT.md §4.1). */
    private static final long ENTRY_LAYOUT = 64;
    private static final int SIZE = 1 << 16;

    @TempDir
    Path directory;

    private static byte[] map(Path file) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(file), (int) STARTS, (int) STARTS + 1024);
    }

    /** Both named objects keep their data, new names can be made, and verify finds the region consistent. */
    private static void assertRegionWorks(Path file) {
        try (SharedMemory shm = SharedMemory.open(file)) {
            Point point = shm.find("p1", Point.class).orElseThrow();
            assertEquals(1.5, point.x());
            assertEquals(77, shm.findArray("big", TypeCode.LONG).orElseThrow().get(199));
            for (int i = 0; i < 20; i++) {
                shm.findOrCreate("more" + i, Point.class).x(i);
            }
            var report = shm.verify();
            assertTrue(report.consistent(), report.toString());
        }
        assertEquals(0, RegionWords.read(file, HDR_INTENT), "the repair ends the intent");
    }

    private Path twoNamedObjects(String name) {
        Path file = directory.resolve(name);
        try (SharedMemory shm = SharedMemory.create(file, SIZE, RegionOption.KEEP_FILE)) {
            shm.findOrCreate("p1", Point.class).x(1.5);
            shm.findOrCreateArray("big", TypeCode.LONG, 200).set(199, 77);
        }
        return file;
    }

    /**
     * The layout word of a named object's entry, forged (while the object is in use) to name the
     * block-start map: {@code free} frees the entry's layout text, and must refuse this one.
     */
    @Test
    void aLayoutWordNamingTheBlockStartMapIsNotFreed() throws IOException {
        Path file = directory.resolve("forged-layout.region");
        try (SharedMemory shm = SharedMemory.create(file, SIZE, RegionOption.KEEP_FILE)) {
            Point point = shm.findOrCreate("p1", Point.class);
            point.x(1.5);
            shm.findOrCreateArray("big", TypeCode.LONG, 200).set(199, 77);
            long entry = RegionWords.read(file, handleField(point, "block") - BLOCK_HEADER + BLK_ENTRY);
            long layout = RegionWords.read(file, entry + ENTRY_LAYOUT);
            RegionWords.write(file, entry + ENTRY_LAYOUT, STARTS);
            byte[] before = map(file);

            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.free(point));
            assertTrue(e.getMessage().contains("not a text block") && e.getMessage().contains("nothing was freed"), e.getMessage());
            assertArrayEquals(before, map(file), "the block-start map was written");
            assertEquals(1.5, point.x(), "the refused free freed the object");

            RegionWords.write(file, entry + ENTRY_LAYOUT, layout);
        }
        assertRegionWorks(file);
    }

    /** An owed repair whose "remove" record names the block-start map as the layout text and the index as the entry. */
    @Test
    void aRemovalRecordNamingTheMapAndTheIndexFreesNothing() throws IOException {
        Path file = twoNamedObjects("forged-remove-metadata.region");
        long index = RegionWords.read(file, HDR_INDEX);
        RegionWords.forgeOwedIntent(file, 2, index, STARTS, 0);
        assertRegionWorks(file);
    }

    /**
     * An owed repair whose "add" record names the map and the index in a region where they are
     * among the newest blocks (nothing else was allocated): the roll-back must not take them for
     * blocks of the add.
     */
    @Test
    void anAddRecordNamingTheMapAndTheIndexOfAFreshRegionFreesNothing() throws IOException {
        Path file = directory.resolve("forged-add-metadata.region");
        SharedMemory.create(file, SIZE, RegionOption.KEEP_FILE).close();
        long index = RegionWords.read(file, HDR_INDEX);
        RegionWords.forgeOwedIntent(file, 1, STARTS, index, 0);
        try (SharedMemory shm = SharedMemory.open(file)) {
            shm.findOrCreate("p1", Point.class).x(1.5);
            SharedLongArray big = shm.findOrCreateArray("big", TypeCode.LONG, 200);
            big.set(199, 77);
            assertEquals(1, map(file)[0] & 1, "the block-start map no longer marks its own block");
        }
        assertRegionWorks(file);
    }

    /**
     * The header's top, forged (by another process, after this one opened the region) far past
     * the end of the file: a handle whose block lies past the end must be refused by name, not
     * read out of bounds (its bit in the block-start map would be read from the block after the map), at
     * every 16-byte offset of the next 8 KiB.
     */
    @Test
    void aTopForgedPastTheEndOfTheFileIsNotTrustedByAttach() {
        Path file = directory.resolve("forged-top.region");
        try (SharedMemory shm = SharedMemory.create(file, SIZE, RegionOption.KEEP_FILE)) {
            Point point = shm.findOrCreate("p1", Point.class);
            point.x(1.5);
            String handle = Structs.handle(point);
            long top = RegionWords.read(file, HDR_TOP);
            RegionWords.write(file, HDR_TOP, 1L << 40);
            for (long payload = SIZE; payload < SIZE + 8192; payload += 16) {
                String forged = handle.replaceFirst("block=\\d+", "block=" + payload).replaceFirst("object=\\d+", "object=" + payload);
                InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.attach(forged, Point.class), forged);
                assertTrue(e.getMessage().contains("top") || e.getMessage().contains("no object"), e.getMessage());
            }
            RegionWords.write(file, HDR_TOP, top);
            assertEquals(1.5, shm.attach(handle, Point.class).x());
        }
    }
}
