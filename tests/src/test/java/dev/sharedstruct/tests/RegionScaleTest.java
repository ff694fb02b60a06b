package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.RegionFullException;
import dev.sharedstruct.RegionReport;
import dev.sharedstruct.SharedByteArray;
import dev.sharedstruct.SharedIntArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Point;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The name index and the size-binned allocator of format version 2 keep their behaviour under
 * many names and many free blocks of every size: everything named is found with its value,
 * nothing freed is, every free block is reused or merged, and {@code verify()} (which checks the
 * index against the directory, the bins against the tiling and every boundary tag) finds nothing
 * wrong. Speed is measured by {@code benchmarks/scale.sh}, not here.
 */
class RegionScaleTest {
    private static void assertConsistent(SharedMemory shm) {
        RegionReport report = shm.verify();
        assertTrue(report.consistent(), report::toString);
    }

    @Test
    void thousandsOfNamesAreFoundRemovedAndAddedAgain() {
        Random random = new Random(10);
        try (SharedMemory shm = SharedMemory.create(16 << 20)) {
            int count = 4000;
            for (int i = 0; i < count; i++) {
                if (i % 3 == 0) {
                    shm.findOrCreateArray("array-" + i, TypeCode.INT, 1 + i % 50).set(0, i);
                } else {
                    shm.findOrCreate("point-" + i, Point.class).x(i);
                }
            }
            assertConsistent(shm);
            boolean[] removed = new boolean[count];
            for (int i = 0; i < count; i++) {
                if (random.nextInt(5) < 2) {
                    removed[i] = true;
                    shm.free(i % 3 == 0 ? shm.findArray("array-" + i, TypeCode.INT).orElseThrow()
                            : shm.find("point-" + i, Point.class).orElseThrow());
                }
            }
            int left = 0;
            for (int i = 0; i < count; i++) {
                if (i % 3 == 0) {
                    var found = shm.findArray("array-" + i, TypeCode.INT);
                    assertEquals(!removed[i], found.isPresent(), "array-" + i);
                    if (found.isPresent()) {
                        assertEquals(i, found.get().get(0), "array-" + i);
                    }
                } else {
                    var found = shm.find("point-" + i, Point.class);
                    assertEquals(!removed[i], found.isPresent(), "point-" + i);
                    if (found.isPresent()) {
                        assertEquals(i, found.get().x(), "point-" + i);
                    }
                }
                left += removed[i] ? 0 : 1;
            }
            RegionReport report = shm.verify();
            assertTrue(report.consistent(), report::toString);
            assertEquals(left, report.namedObjects());
            for (int i = 0; i < count; i++) {
                if (removed[i] && i % 3 != 0) {
                    assertEquals(0.0, shm.findOrCreate("point-" + i, Point.class).x(), "a re-created name is a new, zeroed object");
                }
            }
            assertConsistent(shm);
        }
    }

    @Test
    void aRegionFullOfNamesChainsItsBucketsAndFindsEveryOne() {
        // 64 KiB: 64 buckets, and room for about 80 names: most buckets chain several entries.
        try (SharedMemory shm = SharedMemory.create(64 << 10)) {
            List<String> names = new ArrayList<>();
            try {
                for (int i = 0; ; i++) {
                    shm.findOrCreate("n" + i, Point.class).x(i);
                    names.add("n" + i);
                }
            } catch (RegionFullException full) {
                // the region is full of names now
            }
            assertTrue(names.size() > 64, "more names than buckets: " + names.size());
            for (int i = 0; i < names.size(); i++) {
                assertEquals(i, shm.find(names.get(i), Point.class).orElseThrow().x(), names.get(i));
            }
            assertFalse(shm.find("n" + names.size(), Point.class).isPresent());
            assertConsistent(shm);
            for (int i = 0; i < names.size(); i += 2) {
                shm.free(shm.find(names.get(i), Point.class).orElseThrow());
            }
            for (int i = 0; i < names.size(); i++) {
                assertEquals(i % 2 == 1, shm.find(names.get(i), Point.class).isPresent(), names.get(i));
            }
            assertConsistent(shm);
        }
    }

    @Test
    void freeBlocksOfEverySizeAreReusedMergedAndGivenBack() {
        Random random = new Random(20);
        try (SharedMemory shm = SharedMemory.create(8 << 20)) {
            long emptyFree = shm.freeBytes();
            Map<SharedByteArray, Integer> live = new HashMap<>();
            List<SharedByteArray> order = new ArrayList<>();
            for (int step = 0; step < 6000; step++) {
                if (order.isEmpty() || random.nextInt(5) < 3) {
                    // Small sizes (exact bins) and large ones (power-of-two bins, split on reuse).
                    int length = random.nextBoolean() ? 1 + random.nextInt(900) : 1 + random.nextInt(20_000);
                    SharedByteArray array = shm.rawArray(TypeCode.BYTE, length);
                    array.set(length - 1, (byte) step);
                    live.put(array, step);
                    order.add(array);
                } else {
                    SharedByteArray array = order.remove(random.nextInt(order.size()));
                    assertEquals((byte) (int) live.remove(array), array.get(array.length() - 1), "no other block overlapped it");
                    shm.free(array);
                }
                if (step % 1000 == 999) {
                    assertConsistent(shm);
                }
            }
            for (SharedByteArray array : order) {
                assertEquals((byte) (int) live.get(array), array.get(array.length() - 1), "no other block overlapped it");
                shm.free(array);
            }
            RegionReport report = shm.verify();
            assertTrue(report.consistent(), report::toString);
            assertEquals(emptyFree, shm.freeBytes(), "every freed block merged back into the top");
            assertEquals(2, report.blocks(), "only the block-start map and the name index are left");
        }
    }

    @Test
    void aHoleTooSmallForARequestIsLeftAndAFittingOneIsReused() {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            java.util.Set<String> holeBlocks = new java.util.HashSet<>();
            List<SharedIntArray> holes = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                SharedIntArray hole = shm.rawArray(TypeCode.INT, 4);
                holes.add(hole);
                holeBlocks.add(blockOf(hole));
                shm.rawArray(TypeCode.INT, 4);
            }
            holes.forEach(shm::free);
            SharedIntArray big = shm.rawArray(TypeCode.INT, 64);
            assertFalse(holeBlocks.contains(blockOf(big)), "a 256-byte array does not fit an 80-byte hole");
            SharedIntArray small = shm.rawArray(TypeCode.INT, 4);
            assertTrue(holeBlocks.contains(blockOf(small)), "a 16-byte array reuses a hole of its size");
            assertEquals(2 + 500 + 2, shm.verify().blocks(), "the map, the index, the 500 kept arrays, the big and the small one");
            shm.free(small);
            shm.free(big);
            assertConsistent(shm);
        }
    }

    private static String blockOf(Object object) {
        String handle = dev.sharedstruct.Structs.handle(object);
        int start = handle.indexOf("block=") + 6;
        return handle.substring(start, handle.indexOf('&', start));
    }
}
