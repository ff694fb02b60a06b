package dev.sharedstruct.tests;

import static dev.sharedstruct.tests.RegionWords.BLOCK_HEADER;
import static dev.sharedstruct.tests.RegionWords.handleField;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.RegionReport;
import dev.sharedstruct.SharedArray;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A perfect copy of a block header written into an object's own bytes, through a raw view, and a
 * handle that points just past it: the header checks all pass there (state, kind, generation,
 * fingerprint, length), and the view it attached ran past the object into its neighbour, whose
 * bytes it wrote; its free put live memory into the free bins. The region's block-start map,
 * which no view covers, says no block starts inside another: attach and free refuse.
 */
class ForgedBlockHeaderTest {
    /** Where the forged header sits in the long array: 64 bytes into its data. */
    private static final int FORGED_AT = 8;

    @TempDir
    Path directory;

    /** Copies the header of {@code model}'s block into {@code data} at {@link #FORGED_AT}; returns the forged payload offset. */
    private static long forgeHeaderOf(Path file, Object model, SharedLongArray data) {
        long modelBlock = handleField(model, "block") - BLOCK_HEADER;
        for (int word = 0; word < BLOCK_HEADER / 8; word++) {
            data.set(FORGED_AT + word, RegionWords.read(file, modelBlock + 8L * word));
        }
        return handleField(data, "block") + 8L * FORGED_AT + BLOCK_HEADER;
    }

    private static String pointingAt(String handle, long payload) {
        return handle.replaceFirst("block=\\d+", "block=" + payload).replaceFirst("object=\\d+", "object=" + payload);
    }

    @Test
    void aHandleToACopiedHeaderInsideAnObjectIsRefused() {
        Path file = directory.resolve("forged.region");
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray data = shm.rawArray(TypeCode.LONG, 64);
            SharedArray<Point> neighbour = shm.rawArray(Point.class, 4);
            for (int i = 0; i < 4; i++) {
                neighbour.get(i).x(i + 0.5);
            }
            // The model: a raw array of 29 points, whose 464 bytes run far past the long array's
            // 512 - 64 - 64 bytes left after the forged header.
            SharedArray<Point> model = shm.rawArray(Point.class, 29);
            long forged = forgeHeaderOf(file, model, data);
            String handle = pointingAt(Structs.handle(model), forged);
            long[] before = data.toArray();

            InvalidRegionException refused = assertThrows(InvalidRegionException.class, () -> shm.attachArray(handle, Point.class));
            assertTrue(refused.getMessage().contains("no object of generation " + handleField(model, "generation") + " is at offset "
                    + forged + " of " + file), refused.getMessage());
            for (int i = 0; i < 4; i++) {
                assertEquals(i + 0.5, neighbour.get(i).x(), "the neighbour is untouched");
            }
            assertArrayEquals(before, data.toArray(), "the array holding the copy is untouched");
            RegionReport report = shm.verify();
            assertTrue(report.consistent(), report::toString);
            // The model itself is still attached by its own handle.
            assertEquals(29, shm.attachArray(Structs.handle(model), Point.class).length());
        }
    }

    /** The same copy of a single struct's header, attached as a struct and then freed, before the fix. */
    @Test
    void aStructHandleToACopiedHeaderIsRefusedAndNothingIsFreed() {
        Path file = directory.resolve("forged-struct.region");
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray data = shm.rawArray(TypeCode.LONG, 64);
            Point model = shm.rawValue(Point.class);
            long forged = forgeHeaderOf(file, model, data);
            String handle = pointingAt(Structs.handle(model), forged);
            long freeBefore = shm.verify().freeBytes();
            assertThrows(InvalidRegionException.class, () -> shm.attach(handle, Point.class));
            assertEquals(freeBefore, shm.verify().freeBytes(), "nothing was freed or allocated");
            shm.free(model);
            shm.free(data);
            assertTrue(shm.verify().consistent(), shm.verify()::toString);
        }
    }

    /** A map bit cleared behind the runtime's back: verify names the block, and its handle is refused. */
    @Test
    void aBlockTheMapDoesNotMarkIsReportedAndRefused() {
        Path file = directory.resolve("unmarked.region");
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            Point point = shm.value(Point.class);
            long payload = handleField(point, "block");
            String handle = Structs.handle(point);
            long bit = (payload - BLOCK_HEADER - RegionWords.DATA_START) / 16;
            long word = RegionWords.DATA_START + BLOCK_HEADER + (bit >>> 6) * 8;
            RegionWords.write(file, word, RegionWords.read(file, word) & ~(1L << (bit & 63)));
            RegionReport report = shm.verify();
            assertFalse(report.consistent());
            assertTrue(report.problems().contains("the block-start map does not mark the allocated block at " + payload
                    + " (handles and frees of its object are refused)"), report::toString);
            RuntimeException refused = assertThrows(RuntimeException.class, () -> shm.attach(handle, Point.class));
            assertTrue(refused.getMessage().contains("at offset " + payload), refused.getMessage());
        }
    }
}
