package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Regions: where the file lives, its mode, its lifetime, allocation and its limits. */
class SharedMemoryTest {

    @Test
    void createMapsAnOwnerOnlyFileUnderDevShmAndDeletesItOnClose() throws Exception {
        Path path;
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            path = shm.path();
            assertEquals(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir")),
                    path.getParent());
            assertTrue(Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertEquals(1 << 16, Files.size(path));
        }
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void eachRegionHasItsOwnFile() {
        try (SharedMemory a = SharedMemory.create(1 << 16); SharedMemory b = SharedMemory.create(1 << 16)) {
            assertNotEquals(a.path(), b.path());
        }
    }

    @Test
    void freshMemoryIsZeroedAndObjectsDoNotOverlap() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Point[] points = new Point[100];
            for (int i = 0; i < points.length; i++) {
                points[i] = shm.value(Point.class);
                assertEquals(0.0, points[i].x());
                assertEquals(0.0, points[i].y());
                points[i].x(i);
                points[i].y(-i);
            }
            for (int i = 0; i < points.length; i++) {
                assertEquals(i, points[i].x());
                assertEquals(-i, points[i].y());
            }
        }
    }

    @Test
    void tooSmallARegionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(10));
        assertTrue(e.getMessage().contains("at least " + SharedMemory.MIN_SIZE + " bytes, asked for 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(-1));
    }

    @Test
    void aFullRegionSaysHowMuchWasAskedAndIsFreeAndKeepsWhatItHas() {
        try (SharedMemory shm = SharedMemory.create(SharedMemory.MIN_SIZE)) {
            Point kept = shm.rawValue(Point.class);
            kept.x(42);
            IllegalStateException e = null;
            for (int i = 0; i < 1000 && e == null; i++) {
                try {
                    shm.rawValue(Point.class).x(-1);
                } catch (IllegalStateException full) {
                    e = full;
                }
            }
            assertTrue(e != null && e.getMessage().contains("is full: asked for 16 bytes"), String.valueOf(e));
            assertEquals(42, kept.x());
        }
    }

    /**
     * One file opened twice in a process is one region seen through two mappings: an object or
     * lock of one mapping given to the other is refused (offsets are taken in the mapping's own
     * memory), and the message must say that, not name the same path as "another region".
     */
    @Test
    void anObjectOfAnotherMappingOfTheSameFileIsRefusedAsSuch(@TempDir Path directory) {
        Path path = directory.resolve("twice.region");
        try (SharedMemory one = SharedMemory.create(path, 1 << 16); SharedMemory two = SharedMemory.open(path)) {
            Point p = one.value(Point.class);
            SharedLock lock = one.newLock();
            for (Executable call : List.<Executable>of(() -> two.free(p), () -> two.value(Point.class, lock),
                    () -> Structs.synchronize(two.rawValue(Point.class), lock))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
                assertTrue(e.getMessage().contains("another SharedMemory of the same region file"), e.getMessage());
            }
            two.free(two.attach(Structs.handle(p), Point.class));
        }
    }

    /** NIO names only the file for some failures; the message must still say what went wrong. */
    @Test
    void aRegionInADirectoryThatIsNotThereIsRefusedSayingSo(@TempDir Path directory) {
        Path path = directory.resolve("missing").resolve("x.region");
        for (Executable call : List.<Executable>of(() -> SharedMemory.create(path, 1 << 16),
                () -> SharedMemory.openOrCreate(path, 1 << 16))) {
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, call);
            assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("no such file or directory"),
                    e.getMessage());
        }
    }

    @Test
    void structsOfAClosedRegionFailInsteadOfTouchingUnmappedMemory() {
        SharedMemory shm = SharedMemory.create(1 << 16);
        Point p = shm.value(Point.class);
        shm.close();
        shm.close();
        assertThrows(IllegalStateException.class, p::x);
        assertThrows(IllegalStateException.class, () -> shm.value(Point.class));
    }
}
