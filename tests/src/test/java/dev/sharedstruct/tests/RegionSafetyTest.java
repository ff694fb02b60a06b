package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionFullException;
import dev.sharedstruct.SharedArray;
import dev.sharedstruct.SharedIntArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.tests.Samples.Point;
import dev.sharedstruct.tests.Samples.Reading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad files, names and handles are refused clearly, and leave everything as it was. */
class RegionSafetyTest {
    @TempDir
    Path directory;

    private Path keptRegion(String name) {
        Path path = directory.resolve(name);
        SharedMemory.create(path, 1 << 16, dev.sharedstruct.RegionOption.KEEP_FILE).close();
        return path;
    }

    private static void assertRefusedAndUnchanged(Path file, String message, Executable open) throws IOException {
        byte[] before = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        InvalidRegionException e = assertThrows(InvalidRegionException.class, open);
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), "the message names the file: " + e.getMessage());
        if (before != null) {
            assertArrayEquals(before, Files.readAllBytes(file), "the file was changed");
        }
    }

    private static void patchLong(Path file, long offset, long value) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value), offset);
        }
    }

    @Test
    void aFileThatIsNotARegionIsRefused() throws IOException {
        Path file = Files.writeString(directory.resolve("notes.txt"), "not a region at all, just some text");
        assertRefusedAndUnchanged(file, "is not a sharedstruct region", () -> SharedMemory.open(file));
    }

    @Test
    void anotherFormatVersionIsRefused() throws IOException {
        Path file = keptRegion("v9.region");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 9), 8);
        }
        assertRefusedAndUnchanged(file, "format version 9, but this runtime reads version 4", () -> SharedMemory.open(file));
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        Path file = keptRegion("cut.region");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(4096);
        }
        assertRefusedAndUnchanged(file, "is truncated: its header says 65536 bytes, the file has 4096", () -> SharedMemory.open(file));
    }

    @Test
    void aSizeThatDisagreesWithTheHeaderIsRefused() throws IOException {
        Path file = keptRegion("grown.region");
        patchLong(file, 16, 32768);
        assertRefusedAndUnchanged(file, "longer than its header says: its header says 32768 bytes, the file has 65536",
                () -> SharedMemory.open(file));
    }

    @Test
    void aCorruptHeaderIsRefused() throws IOException {
        Path file = keptRegion("corrupt.region");
        patchLong(file, 64, 1L << 40);
        assertRefusedAndUnchanged(file, "has a corrupt header: top 1099511627776 is outside the region", () -> SharedMemory.open(file));
    }

    /**
     * A block size forged to cover exactly its live neighbour still tiles the region, so only the
     * boundary tags catch it: the block above (or the header's last_size, at the top) records the
     * true size. free must refuse, change nothing, and verify must name the disagreement.
     */
    @Test
    void aBlockSizeForgedToCoverALiveNeighbourIsRefusedByFree() throws IOException {
        Path file = directory.resolve("forged.region");
        String[] handles = new String[3];
        long[] blocks = new long[3];
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, dev.sharedstruct.RegionOption.KEEP_FILE)) {
            for (int i = 0; i < 3; i++) {
                Point point = shm.rawValue(Point.class);
                point.x(i + 0.5);
                handles[i] = Structs.handle(point);
            }
        }
        ByteBuffer region = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        long block = 1280 + region.getLong(1280);           // the first block is the block-start map,
        block += region.getLong((int) block);                // the second the name index
        for (int i = 0; i < 3; i++) {
            blocks[i] = block;
            block += region.getLong((int) block);
        }
        long size = region.getLong((int) blocks[0]);
        // The middle object's size covers the last one too: only the header's last_size disagrees.
        patchLong(file, blocks[1], 2 * size);
        // The first object's size covers the middle one: the last one's prev_size disagrees.
        patchLong(file, blocks[0], 2 * size);
        try (SharedMemory shm = SharedMemory.open(file)) {
            for (int i = 0; i < 2; i++) {
                Point forged = shm.attach(handles[i], Point.class);
                InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> shm.free(forged));
                assertTrue(e.getMessage().contains("has size " + 2 * size), e.getMessage());
            }
            assertEquals(1.5, shm.attach(handles[1], Point.class).x());
            assertEquals(2.5, shm.attach(handles[2], Point.class).x());
            var report = shm.verify();
            assertFalse(report.consistent());
            assertTrue(report.problems().stream().anyMatch(p -> p.contains("as the size of the block below it")), report.toString());
        }
    }

    @Test
    void aSymbolicLinkIsRefused() throws IOException {
        Path target = keptRegion("real.region");
        Path link = Files.createSymbolicLink(directory.resolve("link.region"), target);
        assertRefusedAndUnchanged(link, "is a symbolic link", () -> SharedMemory.open(link));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> SharedMemory.create(link, 1 << 16));
        assertTrue(e.getMessage().contains("something is already there"), e.getMessage());
        Path dangling = Files.createSymbolicLink(directory.resolve("dangling.region"), directory.resolve("nowhere"));
        assertThrows(UncheckedIOException.class, () -> SharedMemory.create(dangling, 1 << 16));
        assertFalse(Files.exists(directory.resolve("nowhere")), "create never follows a link to make its target");
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        Path folder = Files.createDirectory(directory.resolve("folder.region"));
        assertRefusedAndUnchanged(folder, "is a directory", () -> SharedMemory.open(folder));
    }

    @Test
    void anotherUsersFileIsRefused() throws IOException {
        Path file = keptRegion("theirs.region");
        try {
            Files.setAttribute(file, "unix:uid", 65534);
        } catch (IOException | SecurityException e) {
            org.junit.jupiter.api.Assumptions.abort("cannot give a file to another user here: " + e);
        }
        assertRefusedAndUnchanged(file, "not to this process's user", () -> SharedMemory.open(file));
    }

    @Test
    void aMissingFileIsRefused() throws IOException {
        Path missing = directory.resolve("missing.region");
        assertRefusedAndUnchanged(missing, "does not exist", () -> SharedMemory.open(missing));
    }

    @Test
    void regionFilesAreOwnerOnlyAndOnlyTheCreatorDeletesThem() throws IOException {
        Path path = directory.resolve("mode.region");
        SharedMemory creator = SharedMemory.create(path, 1 << 16);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        SharedMemory opener = SharedMemory.open(path);
        opener.close();
        assertTrue(Files.exists(path), "an opener's close does not delete the file");
        creator.close();
        assertFalse(Files.exists(path), "the creator's close deletes it");
    }

    @Test
    void namesAreValidated() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            assertEquals("a name must not be empty",
                    assertThrows(IllegalArgumentException.class, () -> shm.findOrCreate("", Point.class)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> shm.findOrCreate(null, Point.class));
            assertThrows(IllegalArgumentException.class, () -> shm.findOrCreate("a\0b", Point.class));
            assertThrows(IllegalArgumentException.class, () -> shm.findOrCreate("\uD800", Point.class));
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> shm.findOrCreate("é".repeat(64), Point.class));
            assertTrue(tooLong.getMessage().contains("is 128 bytes of UTF-8; names hold at most 127"), tooLong.getMessage());
            shm.findOrCreate("ü".repeat(63), Point.class).x(1);
            assertEquals(1, shm.find("ü".repeat(63), Point.class).orElseThrow().x());
            assertTrue(shm.find("absent", Point.class).isEmpty());
        }
    }

    @Test
    void aNameAskedForWithAnotherLayoutNamesTheFieldsThatDiffer() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            shm.findOrCreate("p", Point.class).x(3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shm.findOrCreate("p", Reading.class));
            assertTrue(e.getMessage().contains("field x (double at offset 0) is only in the region"), e.getMessage());
            assertTrue(e.getMessage().contains("field stamp (long at offset 0) is only in yours"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> shm.find("p", Counter.class));
            assertThrows(IllegalArgumentException.class, () -> shm.findOrCreateArray("p", Point.class, 2));
            assertThrows(IllegalStateException.class, () -> shm.findOrCreateRaw("p", Point.class));
            assertEquals(3, shm.find("p", Point.class).orElseThrow().x(), "the object is untouched");
        }
    }

    @Test
    void handlesThatDoNotFitAreRefused() {
        try (SharedMemory shm = SharedMemory.create(1 << 16); SharedMemory other = SharedMemory.create(1 << 16)) {
            Point point = shm.value(Point.class);
            String handle = Structs.handle(point);
            assertEquals(point, shm.attach(handle, Point.class));
            assertTrue(Structs.isSynchronized(shm.attach(handle, Point.class)));
            assertTrue(Structs.isSynchronized(shm.attach(Structs.handle(Structs.raw(point)), Point.class)),
                    "a handle names the object in the form it was made in, not the view's");

            assertTrue(assertThrows(IllegalArgumentException.class, () -> shm.attach("hello", Point.class)).getMessage()
                    .contains("not a sharedstruct handle"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> shm.attach(handle.replace("&kind=", "&kinda="), Point.class))
                    .getMessage().contains("malformed handle"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> other.attach(handle, Point.class)).getMessage()
                    .contains("the handle is for region"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> shm.attach(handle, Reading.class)).getMessage()
                    .contains("whose layout (fingerprint"));
            assertThrows(IllegalArgumentException.class, () -> shm.attach(handle, SharedIntArray.class));
            String wild = handle.replaceAll("&block=\\d+&object=\\d+", "&block=999999&object=999999");
            assertThrows(InvalidRegionException.class, () -> shm.attach(wild, Point.class));
            String misaligned = handle.replaceAll("&object=(\\d+)", "&object=8");
            assertThrows(InvalidRegionException.class, () -> shm.attach(misaligned, Point.class));

            shm.free(point);
            InvalidRegionException freed = assertThrows(InvalidRegionException.class, () -> shm.attach(handle, Point.class));
            assertTrue(freed.getMessage().contains("was freed"), freed.getMessage());
            assertThrows(IllegalStateException.class, () -> Structs.handle(point));
            assertThrows(IllegalStateException.class, () -> Structs.copy(point));
            assertThrows(IllegalStateException.class, () -> Structs.synchronize(Structs.raw(point)));
            assertThrows(IllegalStateException.class, () -> shm.free(point));
        }
    }

    @Test
    void aFullRegionSaysWhatWasAskedAndWhatIsFreeAndDamagesNothing() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            SharedIntArray kept = shm.array(TypeCode.INT, new int[] {1, 2, 3});
            RegionFullException e = assertThrows(RegionFullException.class, () -> shm.array(TypeCode.LONG, 100_000));
            assertTrue(e.getMessage().contains("asked for 800000 bytes, " + shm.freeBytes() + " bytes are free"), e.getMessage());
            assertEquals(800_000, e.requested());
            assertArrayEquals(new int[] {1, 2, 3}, kept.toArray());
            assertEquals(3, shm.array(TypeCode.INT, 3).length(), "the region still allocates what fits");
        }
    }

    @Test
    void freedMemoryIsReusedSoALoopDoesNotRunOut() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            long free = shm.freeBytes();
            for (int i = 0; i < 100_000; i++) {
                SharedArray<Point> array = shm.rawArray(Point.class, 1 + i % 50);
                Point lone = shm.value(Point.class);
                shm.free(array);
                shm.free(lone);
            }
            assertEquals(free, shm.freeBytes());
            shm.free(shm.newLock());
        }
    }

    @Test
    void viewsOfPartsAndLocalStructsCannotBeFreedOrHandedOver() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            SharedArray<Point> array = shm.array(Point.class, 2);
            assertThrows(IllegalArgumentException.class, () -> shm.free(array.get(0)));
            assertThrows(IllegalArgumentException.class, () -> Structs.handle(array.get(0)));
            assertThrows(IllegalArgumentException.class, () -> Structs.handle(Structs.local(Point.class)));
            try (SharedMemory other = SharedMemory.create(1 << 16)) {
                assertThrows(IllegalArgumentException.class, () -> other.free(array));
            }
            shm.free(array);
        }
    }
}
