package dev.sharedstruct.tests;

import static dev.sharedstruct.tests.RegionWords.BLOCK_HEADER;
import static dev.sharedstruct.tests.RegionWords.DATA_START;
import static dev.sharedstruct.tests.RegionWords.HDR_TOP;
import static dev.sharedstruct.tests.RegionWords.handleField;
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
 * A block-start bit set above the top (a corrupt map; a claim killed before it raised the top
 * leaves one at the top): verify, which reads the map only up to the top (a large sparse region's
 * map is not committed for nothing), does not see it. A claim from the top clears the bits of the
 * space it covers, so a header copied into the new object's bytes there does not pass.
 */
class StrayStartBitTest {
    @TempDir
    Path directory;

    private static void setBit(Path file, long block) {
        long bit = (block - DATA_START) / 16;
        long word = DATA_START + BLOCK_HEADER + (bit >>> 6) * 8;
        RegionWords.write(file, word, RegionWords.read(file, word) | 1L << (bit & 63));
    }

    private static boolean bitSet(Path file, long block) {
        long bit = (block - DATA_START) / 16;
        long word = DATA_START + BLOCK_HEADER + (bit >>> 6) * 8;
        return (RegionWords.read(file, word) >>> (bit & 63) & 1) != 0;
    }

    @Test
    void aStrayBitAboveTheTopIsClearedByTheClaimThatCoversIt() {
        Path file = directory.resolve("stray-forge.region");
        SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE).close();
        long strayBlock = RegionWords.read(file, HDR_TOP) + 4096;      // 256 bits above the top: a later map word
        setBit(file, strayBlock);
        try (SharedMemory shm = SharedMemory.open(file)) {
            SharedLongArray data = shm.rawArray(TypeCode.LONG, 1024);       // 8 KiB: covers the stray bit
            SharedArray<Point> neighbour = shm.rawArray(Point.class, 4);
            SharedArray<Point> model = shm.rawArray(Point.class, 600);     // 9600 bytes: far past data's end
            long dataPayload = handleField(data, "block");
            assertTrue(strayBlock > dataPayload && strayBlock < dataPayload + 8192, "the stray bit lies inside data");
            assertFalse(bitSet(file, strayBlock), "the claim of data cleared the stray bit inside it");
            long modelBlock = handleField(model, "block") - BLOCK_HEADER;
            int index = (int) ((strayBlock - dataPayload) / 8);
            for (int word = 0; word < BLOCK_HEADER / 8; word++) {
                data.set(index + word, RegionWords.read(file, modelBlock + 8L * word));
            }
            long forged = strayBlock + BLOCK_HEADER;
            String handle = Structs.handle(model).replaceFirst("block=\\d+", "block=" + forged).replaceFirst("object=\\d+", "object=" + forged);
            assertThrows(InvalidRegionException.class, () -> {
                SharedArray<Point> escaped = shm.attachArray(handle, Point.class);
                // The escape: writes through the forged view past data's end, into the neighbour.
                for (int i = 0; i < escaped.length(); i++) {
                    escaped.get(i).x(-1);
                }
            }, "a forged header at a stray map bit inside an object was attached");
            for (int i = 0; i < 4; i++) {
                assertEquals(0.0, neighbour.get(i).x(), "the neighbour is untouched");
            }
            RegionReport report = shm.verify();
            assertTrue(report.consistent(), report::toString);
        }
    }
}
