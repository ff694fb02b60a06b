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
 * Metadata words of a region file forged so that the structure still looks valid locally: a free
 * block's size that swallows its live neighbour, an intent record naming live objects, a lock
 * block too small for its cell. Each must be refused (or, for the repair, left alone) before
 * anything is written, so that no live object loses its data.
 */
class ForgedMetadataTest {
    /** The kind of a block in the high half of the int at offset 8 of its header (state, kind). */
    private static final long KIND = BLK_STATE_AND_KIND + 2;

    @TempDir
    Path directory;

    private static byte[] bytes(Path file, long offset, int count) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(file), (int) offset, (int) offset + count);
    }

    /**
     * A free block whose size word is forged to cover the live block above it (same size bin, so
     * the bin looks right): allocation must check the block above's boundary tag, as free does,
     * and refuse before it claims or zeroes anything.
     */
    @Test
    void aFreeBlockForgedToCoverItsNeighbourIsNotHandedOut() throws IOException {
        Path file = directory.resolve("forged-free.region");
        long freed;
        long victimBlock;
        String victim;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray hole = shm.rawArray(TypeCode.LONG, 150);          // a 1264-byte block
            SharedLongArray kept = shm.rawArray(TypeCode.LONG, 20);           // a 224-byte block above it
            shm.rawArray(TypeCode.LONG, 4);                                   // so that the hole is not at the top
            for (int i = 0; i < 20; i++) {
                kept.set(i, 0x2222_2222_2222_2222L + i);
            }
            victim = Structs.handle(kept);
            victimBlock = handleField(kept, "block") - BLOCK_HEADER;
            freed = handleField(hole, "block") - BLOCK_HEADER;
            shm.free(hole);
        }
        long holeSize = RegionWords.read(file, freed);
        long keptSize = RegionWords.read(file, victimBlock);
        assertEquals(freed + holeSize, victimBlock, "the kept array is right above the hole");
        RegionWords.write(file, freed, holeSize + keptSize);                   // 1488: still the hole's size bin
        byte[] before = bytes(file, victimBlock, (int) keptSize);
        try (SharedMemory shm = SharedMemory.open(file)) {
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.rawArray(TypeCode.LONG, 170));
            assertTrue(e.getMessage().contains("has size " + (holeSize + keptSize)), e.getMessage());
            assertArrayEquals(before, bytes(file, victimBlock, (int) keptSize), "the live block above the hole was written");
            SharedLongArray kept = shm.attach(victim, SharedLongArray.class);
            for (int i = 0; i < 20; i++) {
                assertEquals(0x2222_2222_2222_2222L + i, kept.get(i));
            }
        }
    }

    /** The same forged free block, above a block being freed: free must not merge it, and must change nothing. */
    @Test
    void aFreeNeighbourForgedToCoverALiveBlockIsNotMergedByFree() throws IOException {
        Path file = directory.resolve("forged-merge.region");
        long holeBlock;
        long victimBlock;
        String below;
        String victim;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray freedLater = shm.rawArray(TypeCode.LONG, 4);
            SharedLongArray hole = shm.rawArray(TypeCode.LONG, 150);
            SharedLongArray kept = shm.rawArray(TypeCode.LONG, 20);
            shm.rawArray(TypeCode.LONG, 4);
            kept.set(0, 42);
            below = Structs.handle(freedLater);
            victim = Structs.handle(kept);
            holeBlock = handleField(hole, "block") - BLOCK_HEADER;
            victimBlock = handleField(kept, "block") - BLOCK_HEADER;
            shm.free(hole);
        }
        long keptSize = RegionWords.read(file, victimBlock);
        RegionWords.write(file, holeBlock, RegionWords.read(file, holeBlock) + keptSize);
        byte[] before = Files.readAllBytes(file);
        try (SharedMemory shm = SharedMemory.open(file)) {
            SharedLongArray toFree = shm.attach(below, SharedLongArray.class);
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.free(toFree));
            assertTrue(e.getMessage().contains("the block above it records"), e.getMessage());
            assertEquals(42, shm.attach(victim, SharedLongArray.class).get(0));
        }
        byte[] after = Files.readAllBytes(file);
        assertArrayEquals(Arrays.copyOfRange(before, 1280, before.length), Arrays.copyOfRange(after, 1280, after.length),
                "free changed blocks before it refused");
    }

    /** Two named objects, closed; returns their block payload offsets (what an intent record names). */
    private long[] twoNamedObjects(Path file) {
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            Point point = shm.findOrCreate("p1", Point.class);
            point.x(1.5);
            point.y(2.5);
            SharedLongArray big = shm.findOrCreateArray("big", TypeCode.LONG, 200);
            big.set(199, 77);
            return new long[] {handleField(point, "block"), handleField(big, "block")};
        }
    }

    private static void assertNamedObjectsIntact(Path file) {
        try (SharedMemory shm = SharedMemory.open(file)) {
            Point point = shm.find("p1", Point.class).orElseThrow();
            assertEquals(1.5, point.x());
            assertEquals(2.5, point.y());
            assertEquals(77, shm.findArray("big", TypeCode.LONG).orElseThrow().get(199));
            var report = shm.verify();
            assertTrue(report.consistent(), report.toString());
        }
        assertEquals(0, RegionWords.read(file, HDR_INTENT), "the repair ends the intent");
        assertEquals(0, RegionWords.read(file, HDR_REPAIR_REQUESTED), "the repair is done");
    }

    /**
     * An owed repair whose intent record says "remove" and names two live named objects (and no
     * entry): the objects are named by linked entries, so the repair leaves them; the region
     * stays usable and its names keep their data.
     */
    @Test
    void aForgedRemovalIntentDoesNotFreeNamedObjects() throws IOException {
        Path file = directory.resolve("forged-remove.region");
        long[] named = twoNamedObjects(file);
        RegionWords.forgeOwedIntent(file, 2, 0, named[0], named[1]);
        assertNamedObjectsIntact(file);
    }

    /** The same with an "add" whose entry is not linked: its blocks are older than the add and named, so they stay. */
    @Test
    void aForgedAddIntentDoesNotFreeNamedOrOlderObjects() throws IOException {
        Path file = directory.resolve("forged-add.region");
        long anonymous;
        String unnamedHandle;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            Point unnamed = shm.rawValue(Point.class);
            unnamed.x(9.5);
            unnamedHandle = Structs.handle(unnamed);
            anonymous = handleField(unnamed, "block");
            Point point = shm.findOrCreate("p1", Point.class);
            point.x(1.5);
            point.y(2.5);
            shm.findOrCreateArray("big", TypeCode.LONG, 200).set(199, 77);
        }
        long p1;
        try (SharedMemory shm = SharedMemory.open(file)) {
            p1 = handleField(shm.find("p1", Point.class).orElseThrow(), "block");
        }
        RegionWords.forgeOwedIntent(file, 1, anonymous, p1, 0);
        assertNamedObjectsIntact(file);
        try (SharedMemory shm = SharedMemory.open(file)) {
            // Unnamed, but allocated before the add the record claims to be: left allocated.
            assertEquals(9.5, shm.attach(unnamedHandle, Point.class).x());
        }
    }

    /**
     * A 16-byte block re-kinded as a LOCK block and recorded as an object's lock: a lock cell is
     * 32 bytes, so a claim would write into the next block's header. Attaching must refuse.
     */
    @Test
    void aLockBlockTooSmallForItsCellIsRefused() throws IOException {
        Path file = directory.resolve("small-lock.region");
        String handle;
        long small;
        long next;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            Point guarded = shm.value(Point.class, shm.newLock());
            guarded.x(1.5);
            var tiny = shm.rawValue(TypeCode.LONG);                             // a 16-byte payload
            Point neighbour = shm.rawValue(Point.class);
            neighbour.x(2.5);
            small = handleField(tiny, "block");
            next = handleField(neighbour, "block") - BLOCK_HEADER;
            assertEquals(small + 16, next, "the neighbour's header follows the tiny payload");
            long lock = handleField(guarded, "lock");
            long guardedBlock = handleField(guarded, "block") - BLOCK_HEADER;
            handle = Structs.handle(guarded).replace("lock=" + lock, "lock=" + small);
            RegionWords.write(file, guardedBlock + BLK_LOCK, small);
        }
        // The kind is the high half of the int at offset 8 (state, kind), little-endian.
        long stateAndKind = small - BLOCK_HEADER + KIND - 2;
        RegionWords.writeInt(file, stateAndKind, KIND_LOCK << 16 | (RegionWords.readInt(file, stateAndKind) & 0xFFFF));
        byte[] before = bytes(file, next, 64);
        try (SharedMemory shm = SharedMemory.open(file)) {
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.attach(handle, Point.class));
            assertTrue(e.getMessage().contains("too small for a 32-byte lock cell"), e.getMessage());
        }
        assertArrayEquals(before, bytes(file, next, 64), "the next block's header was written");
    }

    /**
     * An owed repair over a free block whose size is forged to cover the named object above it:
     * the repair's rebuild frees what a free block covers, so it must refuse before it rebuilds
     * anything (a crash never moves a block boundary over an allocated block), and stay owed,
     * rather than hand the named object's memory to the next allocation.
     */
    @Test
    void anOwedRepairDoesNotFreeANamedBlockThatAForgedFreeSizeCovers() throws IOException {
        Path file = directory.resolve("forged-rebuild.region");
        long hole;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray freed = shm.rawArray(TypeCode.LONG, 150);
            SharedLongArray named = shm.findOrCreateArray("named", TypeCode.LONG, 20);
            shm.rawArray(TypeCode.LONG, 4);                                   // so that nothing named is at the top
            for (int i = 0; i < 20; i++) {
                named.set(i, 0x3333_3333_3333_3333L + i);
            }
            hole = handleField(freed, "block") - BLOCK_HEADER;
            shm.free(freed);
        }
        long holeSize = RegionWords.read(file, hole);
        long above = hole + holeSize;
        RegionWords.write(file, hole, holeSize + RegionWords.read(file, above));   // swallow the block above
        RegionWords.write(file, HDR_REPAIR_REQUESTED, 1);
        byte[] before = Arrays.copyOfRange(Files.readAllBytes(file), (int) hole, 1 << 16);
        try (SharedMemory shm = SharedMemory.open(file)) {
            for (int attempt = 0; attempt < 2; attempt++) {
                InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.rawArray(TypeCode.LONG, 170));
                assertTrue(e.getMessage().contains("names a block at offset " + (above + BLOCK_HEADER)), e.getMessage());
                assertTrue(e.getMessage().contains("free block at offset " + hole), e.getMessage());
            }
        }
        byte[] after = Files.readAllBytes(file);
        assertArrayEquals(before, Arrays.copyOfRange(after, (int) hole, 1 << 16), "the refused repair wrote blocks");
        assertEquals(1, RegionWords.read(file, HDR_REPAIR_REQUESTED), "a refused repair stays owed");
        // Put the size back: the repair then runs, and the named array kept its data.
        RegionWords.write(file, hole, holeSize);
        try (SharedMemory shm = SharedMemory.open(file)) {
            shm.rawArray(TypeCode.LONG, 170);
            SharedLongArray named = shm.findArray("named", TypeCode.LONG).orElseThrow();
            for (int i = 0; i < 20; i++) {
                assertEquals(0x3333_3333_3333_3333L + i, named.get(i));
            }
            assertTrue(shm.verify().consistent());
        }
        assertEquals(0, RegionWords.read(file, HDR_REPAIR_REQUESTED), "the repair is done");
    }

    /**
     * The same over a LOCK block that live objects were made with: the objects' blocks name it as
     * their lock, so a free block forged to cover it must stop the repair too, rather than let the
     * rebuild hand the lock cell's memory to the next allocation while the objects still lock it.
     */
    @Test
    void anOwedRepairDoesNotFreeALockBlockThatAForgedFreeSizeCovers() throws IOException {
        Path file = directory.resolve("forged-lock-rebuild.region");
        long hole;
        long lockBlock;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray freed = shm.rawArray(TypeCode.LONG, 150);
            var lock = shm.newLock();
            Point guarded = shm.value(Point.class, lock);
            guarded.x(4.5);
            hole = handleField(freed, "block") - BLOCK_HEADER;
            lockBlock = handleField(guarded, "lock") - BLOCK_HEADER;
            shm.free(freed);
        }
        long holeSize = RegionWords.read(file, hole);
        assertEquals(hole + holeSize, lockBlock, "the lock block follows the hole");
        RegionWords.write(file, hole, holeSize + RegionWords.read(file, lockBlock));   // swallow the lock block
        RegionWords.write(file, HDR_REPAIR_REQUESTED, 1);
        try (SharedMemory shm = SharedMemory.open(file)) {
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.rawArray(TypeCode.LONG, 170));
            assertTrue(e.getMessage().contains("names a block at offset " + (lockBlock + BLOCK_HEADER)), e.getMessage());
        }
        assertEquals(1, RegionWords.read(file, HDR_REPAIR_REQUESTED), "a refused repair stays owed");
    }

    /**
     * An owed repair over a named array whose generation word is forged to 0, what a free killed
     * between its two header stores leaves: the rebuild completes such a free, but no crash leaves
     * a named block that way (a name is unlinked before its blocks are freed), so the repair must
     * refuse before it writes anything rather than hand the named array's memory out again.
     */
    @Test
    void anOwedRepairDoesNotCompleteAFreeThatAForgedGenerationZeroFakesOnANamedBlock() throws IOException {
        Path file = directory.resolve("forged-retiring.region");
        long block;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray named = shm.findOrCreateArray("named", TypeCode.LONG, 20);
            named.set(19, 77);
            shm.rawArray(TypeCode.LONG, 4);                                   // so that nothing named is at the top
            block = handleField(named, "block") - BLOCK_HEADER;
        }
        long generation = RegionWords.read(file, block + BLK_GENERATION);
        RegionWords.write(file, block + BLK_GENERATION, 0);
        RegionWords.write(file, HDR_REPAIR_REQUESTED, 1);
        byte[] before = Arrays.copyOfRange(Files.readAllBytes(file), (int) DATA_START, 1 << 16);
        try (SharedMemory shm = SharedMemory.open(file)) {
            for (int attempt = 0; attempt < 2; attempt++) {
                InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.rawArray(TypeCode.LONG, 4));
                assertTrue(e.getMessage().contains("names the block at offset " + (block + BLOCK_HEADER))
                        && e.getMessage().contains("generation 0"), e.getMessage());
            }
        }
        assertArrayEquals(before, Arrays.copyOfRange(Files.readAllBytes(file), (int) DATA_START, 1 << 16),
                "the refused repair wrote blocks");
        assertEquals(1, RegionWords.read(file, HDR_REPAIR_REQUESTED), "a refused repair stays owed");
        // Put the generation back: the repair then runs, and the named array kept its memory and data.
        RegionWords.write(file, block + BLK_GENERATION, generation);
        try (SharedMemory shm = SharedMemory.open(file)) {
            shm.rawArray(TypeCode.LONG, 170);
            assertEquals(77, shm.findArray("named", TypeCode.LONG).orElseThrow().get(19));
            assertTrue(shm.verify().consistent());
        }
        assertEquals(0, RegionWords.read(file, HDR_REPAIR_REQUESTED), "the repair is done");
    }

    /** A raw array of {@code length} longs holding {@code base + i} at {@code i}: a victim whose bytes a test checks. */
    private static SharedLongArray patterned(SharedMemory shm, int length, long base) {
        SharedLongArray array = shm.rawArray(TypeCode.LONG, length);
        for (int i = 0; i < length; i++) {
            array.set(i, base + i);
        }
        return array;
    }

    /** The longs of a raw array, read through the file. */
    private static long[] longsOf(Path file, long payload, int count) {
        long[] longs = new long[count];
        for (int i = 0; i < count; i++) {
            longs[i] = RegionWords.read(file, payload + 8L * i);
        }
        return longs;
    }

    /**
     * The header's directory head, forged to name a live array: adding a name links the new entry
     * before it and writes the entry's offset into the head's {@code prev}, which was a word of
     * the array. Refused before anything is allocated or written.
     */
    @Test
    void aForgedDirectoryHeadIsRefusedBeforeAnAddWritesThroughIt() throws IOException {
        Path file = directory.resolve("forged-head.region");
        long victim;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            shm.findOrCreate("first", Point.class);
            SharedLongArray kept = patterned(shm, 64, 0x3333_3333_3333_3333L);
            victim = handleField(kept, "block");
        }
        long head = RegionWords.read(file, HDR_DIRECTORY);
        long[] before = longsOf(file, victim, 64);
        long top = RegionWords.read(file, HDR_TOP);
        RegionWords.write(file, HDR_DIRECTORY, victim);
        try (SharedMemory shm = SharedMemory.open(file)) {
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.findOrCreate("second", Point.class));
            assertTrue(e.getMessage().contains("corrupt at offset " + victim), e.getMessage());
        }
        assertArrayEquals(before, longsOf(file, victim, 64), "the array the forged head names was written");
        assertEquals(victim, RegionWords.read(file, HDR_DIRECTORY));
        assertEquals(top, RegionWords.read(file, HDR_TOP), "the refused add allocated");
        RegionWords.write(file, HDR_DIRECTORY, head);
        try (SharedMemory shm = SharedMemory.open(file)) {
            assertTrue(shm.find("first", Point.class).isPresent());
            shm.findOrCreate("second", Point.class);
            assertTrue(shm.verify().consistent(), shm.verify().toString());
        }
    }

    /**
     * Every free bin's head forged to name a live array: a free links its block in front of its
     * bin's head and writes its offset into the head's {@code prev}, a word of the array then.
     * The head is checked first; the array keeps its values.
     */
    @Test
    void aForgedBinHeadIsCheckedBeforeAFreeLinksInFrontOfIt() throws IOException {
        Path file = directory.resolve("forged-bin.region");
        long victim;
        String freedHandle;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray kept = patterned(shm, 64, 0x4444_4444_4444_4444L);
            victim = handleField(kept, "block");
            SharedLongArray freed = shm.rawArray(TypeCode.LONG, 20);
            freedHandle = Structs.handle(freed);
            shm.rawArray(TypeCode.LONG, 4);                                   // so that the freed one is not at the top
        }
        long[] before = longsOf(file, victim, 64);
        for (int bin = 0; bin < BINS; bin++) {
            RegionWords.write(file, HDR_BINS + 8L * bin, victim - BLOCK_HEADER);
        }
        try (SharedMemory shm = SharedMemory.open(file)) {
            SharedLongArray freed = shm.attach(freedHandle, SharedLongArray.class);
            assertThrows(InvalidRegionException.class, () -> shm.free(freed));
        }
        assertArrayEquals(before, longsOf(file, victim, 64), "the array the forged bin head names was written");
    }

    /**
     * An object made with a separate lock, its header's lock word forged to name a live array
     * whose first word holds that array's free lock word: free took the array for the lock, claimed
     * it (writing the cell's words into the array) and counted its users down. The lock word is
     * checked first, as attach checks it.
     */
    @Test
    void aForgedLockWordIsCheckedBeforeAFreeClaimsIt() throws IOException {
        Path file = directory.resolve("forged-lock.region");
        long victim;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            Point p = shm.value(Point.class, shm.newLock());
            long object = handleField(p, "block");
            SharedLongArray kept = shm.rawArray(TypeCode.LONG, 8);
            victim = handleField(kept, "block");
            kept.set(0, Long.MIN_VALUE | handleField(kept, "generation"));      // the free word of a lock cell there
            for (int i = 1; i < 8; i++) {
                kept.set(i, 0x5555_5555_5555_5555L + i);
            }
            long[] before = longsOf(file, victim, 8);
            RegionWords.write(file, object - BLOCK_HEADER + BLK_LOCK, victim);
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.free(p));
            assertTrue(e.getMessage().contains("offset " + victim) && e.getMessage().contains("holds none"), e.getMessage());
            assertArrayEquals(before, longsOf(file, victim, 8), "the array the forged lock word names was written");
        }
    }

    /**
     * A free block's size forged to cover the unnamed live array above it, then a repair (owed
     * after a dead holder): the tiling alone skips the array, and the rebuild merged it into a
     * free run and handed its memory out again. The map still marks it, with its live header: the
     * rebuild refuses before it writes anything.
     */
    @Test
    void aRepairRefusesAFreeBlockForgedToCoverALiveOne() throws IOException {
        Path file = directory.resolve("forged-run.region");
        long freedBlock;
        long victim;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray freed = shm.rawArray(TypeCode.LONG, 20);
            SharedLongArray kept = patterned(shm, 20, 0x6666_6666_6666_6666L);
            shm.rawArray(TypeCode.LONG, 4);                                   // so that the freed one is not at the top
            freedBlock = handleField(freed, "block") - BLOCK_HEADER;
            victim = handleField(kept, "block");
            shm.free(freed);
        }
        long victimBlock = victim - BLOCK_HEADER;
        long[] before = longsOf(file, victim, 20);
        RegionWords.write(file, freedBlock, RegionWords.read(file, freedBlock) + RegionWords.read(file, victimBlock));
        RegionWords.write(file, HDR_REPAIR_REQUESTED, 1);
        try (SharedMemory shm = SharedMemory.open(file)) {
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> {
                shm.rawArray(TypeCode.LONG, 20).fill(-1);
                shm.rawArray(TypeCode.LONG, 20).fill(-1);
            });
            assertTrue(e.getMessage().contains("covers the live block at offset " + victimBlock), e.getMessage());
        }
        assertArrayEquals(before, longsOf(file, victim, 20), "the live array the forged free block covers was handed out");
    }

    /**
     * The header's top forged down to the start of the last live array (it passes open's checks:
     * aligned, in the data area): an allocation from the top cleared that array's bit and wrote a
     * new block over it. The map still marks it, with its live header: the allocation refuses.
     */
    @Test
    void aTopForgedBelowALiveBlockIsRefusedBeforeAnAllocationClaimsIt() throws IOException {
        Path file = directory.resolve("forged-top.region");
        long victim;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray kept = patterned(shm, 20, 0x7777_7777_7777_7777L);
            victim = handleField(kept, "block");
        }
        long victimBlock = victim - BLOCK_HEADER;
        long[] before = longsOf(file, victim, 20);
        long[] header = longsOf(file, victimBlock, 8);
        RegionWords.write(file, HDR_TOP, victimBlock);
        try (SharedMemory shm = SharedMemory.open(file)) {
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.rawArray(TypeCode.LONG, 300).fill(-1));
            assertTrue(e.getMessage().contains("top " + victimBlock + " is below the live block at offset " + victimBlock),
                    e.getMessage());
        }
        assertArrayEquals(before, longsOf(file, victim, 20), "the live array above the forged top was written");
        assertArrayEquals(header, longsOf(file, victimBlock, 8), "the live array's header was written");
    }
}
