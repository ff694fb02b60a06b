package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.annotation.SharedStruct;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.tests.Samples.Point;
import org.junit.jupiter.api.Test;

/** Structs.lock, raw, copy and synchronize, and the type cache's errors. */
class StructsTest extends RegionTest {

    @Test
    void valueHasItsOwnLockAndValuesWithOneLockShareIt() {
        Point a = shm.value(Point.class);
        Point b = shm.value(Point.class);
        assertNotSame(Structs.lock(a), Structs.lock(b));
        SharedLock shared = shm.newLock();
        Point c = shm.value(Point.class, shared);
        Counter d = shm.value(Counter.class, shared);
        assertSame(shared, Structs.lock(c));
        assertSame(shared, Structs.lock(d));
    }

    @Test
    void rawViewSharesMemoryAndHasNoLock() {
        Point p = shm.value(Point.class);
        Point raw = Structs.raw(p);
        raw.x(2.5);
        assertEquals(2.5, p.x());
        assertFalse(Structs.isSynchronized(raw));
        assertSame(raw, Structs.raw(raw));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Structs.lock(raw));
        assertTrue(e.getMessage().contains("is raw and has no lock"), e.getMessage());
    }

    @Test
    void synchronizeWrapsARawStructAndRefusesASynchronizedOne() {
        Point raw = shm.rawValue(Point.class);
        SharedLock lock = shm.newLock();
        Point locked = Structs.synchronize(raw, lock);
        assertSame(lock, Structs.lock(locked));
        locked.y(-1);
        assertEquals(-1, raw.y());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Structs.synchronize(locked, lock));
        assertTrue(e.getMessage().contains("already synchronized"), e.getMessage());
        assertTrue(Structs.isSynchronized(Structs.synchronize(raw)));
    }

    @Test
    void synchronizeRefusesALockOfAnotherRegion() {
        try (SharedMemory other = SharedMemory.create(1 << 16)) {
            Point raw = shm.rawValue(Point.class);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Structs.synchronize(raw, other.newLock()));
            assertTrue(e.getMessage().contains("lives in another region"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> shm.value(Point.class, other.newLock()));
        }
    }

    @Test
    void copyIsIndependentMemoryWithTheSameContentAndForm() {
        Point p = shm.value(Point.class);
        p.x(1);
        p.y(2);
        Point copy = Structs.copy(p);
        assertEquals(p, copy);
        assertTrue(Structs.isSynchronized(copy));
        assertNotSame(Structs.lock(p), Structs.lock(copy));
        copy.x(10);
        assertEquals(1, p.x());

        Point raw = Structs.copy(Structs.raw(p));
        assertFalse(Structs.isSynchronized(raw));
        assertEquals(p, raw);
    }

    @Test
    void objectsThatAreNotStructsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Structs.lock("text"));
        assertTrue(e.getMessage().contains("java.lang.String is not a shared struct"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Structs.copy(null));
    }

    interface NotAnnotated {
        int x();
    }

    @Test
    void typesThatAreNotSharedStructsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Structs.layout(NotAnnotated.class));
        assertTrue(e.getMessage().contains("is not annotated @SharedStruct"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> shm.value(String.class));
        assertTrue(e.getMessage().contains("java.lang.String is not an interface"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Structs.layout(SharedStruct.class));
        assertTrue(e.getMessage().contains("is not an interface"), e.getMessage());
    }

    @Test
    void theTypeCacheReturnsOneTypePerInterface() {
        assertSame(Structs.type(Point.class), Structs.type(Point.class));
        assertSame(Structs.layout(Point.class), Structs.type(Point.class).layout());
        assertEquals(Point.class, Structs.type(Point.class).type());
    }
}
