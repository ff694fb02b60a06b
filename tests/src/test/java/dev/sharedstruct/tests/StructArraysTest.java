package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedArray;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Point;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Arrays of structs: Python's Array(Point, n) and Array(Point, [(x, y), ...]). */
class StructArraysTest extends RegionTest {

    static Point point(double x, double y) {
        Point p = Structs.local(Point.class);
        p.x(x);
        p.y(y);
        return p;
    }

    @Test
    void elementsAreViewsThatShareTheArraysLock() {
        SharedLock lock = shm.newLock();
        SharedArray<Point> array = shm.array(Point.class, 3, lock);
        assertEquals(3, array.length());
        assertSame(lock, Structs.lock(array));
        assertSame(lock, Structs.lock(array.get(1)));
        array.get(1).x(4);
        assertEquals(4, array.get(1).x());
        assertFalse(Structs.isSynchronized(shm.rawArray(Point.class, 2).get(0)));
        assertTrue(Structs.isSynchronized(shm.array(Point.class, 2).get(0)));
    }

    @Test
    void initializerCopiesValuesAndSetCopiesContent() {
        SharedArray<Point> array = shm.array(Point.class, List.of(point(1.875, -6.25), point(-5.75, 2), point(2.375, 9.5)));
        assertEquals(-5.75, array.get(1).x());
        Point source = point(7, 8);
        array.set(0, source);
        source.x(0);
        assertEquals(7, array.get(0).x(), "set copied the content");
        List<String> seen = new ArrayList<>();
        for (Point p : array) {
            seen.add(p.x() + "," + p.y());
        }
        assertEquals(List.of("7.0,8.0", "-5.75,2.0", "2.375,9.5"), seen);
        assertEquals("SharedArray<Point>[Point{x=7.0, y=8.0}, Point{x=-5.75, y=2.0}, Point{x=2.375, y=9.5}]",
                array.toString());
    }

    @Test
    void rangesAreCopiedInAndOutInOneStep() {
        SharedArray<Point> array = shm.rawArray(Point.class, 4);
        array.setRange(1, List.of(point(1, 1), point(2, 2)));
        List<Point> copies = array.getRange(1, 3);
        assertEquals(List.of(point(1, 1), point(2, 2)), copies);
        copies.get(0).x(100);
        assertEquals(1, array.get(1).x(), "range reads are copies");
        assertThrows(IndexOutOfBoundsException.class, () -> array.setRange(3, List.of(point(0, 0), point(0, 0))));
        assertThrows(IndexOutOfBoundsException.class, () -> array.getRange(3, 5));
        assertEquals(0, array.get(3).x(), "a refused range wrote nothing");
    }

    @Test
    void badArgumentsAreRefusedClearly() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> shm.array(Point.class, 0));
        assertEquals("an array of Point needs at least 1 element, asked for 0", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> shm.rawArray(Point.class, -1));
        assertThrows(IllegalArgumentException.class, () -> shm.array(Point.class, List.of()));
        IllegalArgumentException nullElement = assertThrows(IllegalArgumentException.class,
                () -> shm.array(Point.class, Arrays.asList(point(1, 1), null)));
        assertEquals("values[1] is null; every element needs a value to copy", nullElement.getMessage());
        SharedArray<Point> array = shm.array(Point.class, 2);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> array.get(2));
        assertEquals("array: index 2 is out of bounds for length 2", e.getMessage());
        assertThrows(NullPointerException.class, () -> array.set(0, null));
        assertThrows(IllegalStateException.class, () -> shm.rawArray(Point.class, Integer.MAX_VALUE));
    }

    /**
     * An initializer that cannot be copied (a freed struct, a value of another type, a Java array
     * of another element type) is refused before the array is allocated: a refused call that
     * kept its array would leak it, unreachable, and repeated, fill the region.
     */
    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aRefusedInitializerAllocatesNothing() {
        Point freed = shm.value(Point.class);
        shm.free(freed);
        long free = shm.freeBytes();
        for (int i = 0; i < 3; i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> shm.array(Point.class, List.of(point(1, 2), freed)));
            assertTrue(e.getMessage().contains("was freed"), e.getMessage());
        }
        List wrongType = List.of(Structs.local(DataKinds.Vec.class));
        assertThrows(IllegalArgumentException.class, () -> shm.rawArray(Point.class, (List<Point>) wrongType));
        TypeCode ints = TypeCode.INT;
        IllegalArgumentException longs = assertThrows(IllegalArgumentException.class, () -> shm.array(ints, new long[] {1, 2}));
        assertTrue(longs.getMessage().contains("long[]") && longs.getMessage().contains("int[]"), longs.getMessage());
        assertThrows(IllegalArgumentException.class, () -> shm.rawArray((TypeCode) TypeCode.BOOL, new int[] {1}));
        assertEquals(free, shm.freeBytes(), "the refused calls left no arrays behind");
    }

    @Test
    void copyAndSynchronizeWorkOnStructArrays() {
        SharedArray<Point> raw = shm.rawArray(Point.class, List.of(point(1, 2)));
        SharedArray<Point> locked = Structs.synchronize(raw);
        assertTrue(Structs.isSynchronized(locked.get(0)));
        SharedArray<Point> copy = Structs.copy(locked);
        copy.get(0).x(10);
        assertEquals(1, raw.get(0).x());
        assertTrue(Structs.isSynchronized(copy));
    }

    @Test
    void localStructsBelongToNoRegion() {
        Point local = point(1, 2);
        assertFalse(Structs.isSynchronized(local));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Structs.copy(local));
        assertTrue(e.getMessage().contains("is local"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Structs.synchronize(local));
        Point shared = shm.value(Point.class);
        shared.x(local.x());
        assertEquals(local.x(), shared.x());
        assertEquals(local, point(1, 2));
    }
}
