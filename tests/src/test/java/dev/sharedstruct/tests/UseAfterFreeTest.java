package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedArray;
import dev.sharedstruct.SharedByteArray;
import dev.sharedstruct.SharedIntArray;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongValue;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.SharedString;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.DataKinds.Holder;
import dev.sharedstruct.tests.DataKinds.Sensor;
import dev.sharedstruct.tests.DataKinds.Vec;
import dev.sharedstruct.tests.Samples.Point;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * In the process that freed an object, every view of it (raw and synchronized, nested views,
 * elements, views from attach and find) throws a clear IllegalStateException, and the object
 * that now has its memory is left exactly as it was.
 */
class UseAfterFreeTest {
    private static final byte FILL = 0x5A;
    /** Raw views are refused through per-object FFM scopes, which need native access (see docs/SAFETY.md). */
    private static final boolean SCOPED = Structs.class.getModule().isNativeAccessEnabled();

    /** What to free, and the accesses that must then be refused: through synchronized views, and through raw ones. */
    record Case(Object object, List<Executable> synchronizedAccesses, List<Executable> rawAccesses) {
    }

    /**
     * Makes a case in a fresh region, frees its object, gives the memory to a raw byte array
     * filled with {@link #FILL}, runs every access expecting the refusal, and checks that the
     * byte array was not touched.
     */
    private static void refusedAfterFree(Function<SharedMemory, Case> make) {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Case made = make.apply(shm);
            SharedByteArray successor = freeAndReuse(shm, made.object());
            for (Executable access : made.synchronizedAccesses()) {
                assertFreed(access);
            }
            if (SCOPED) {
                for (Executable access : made.rawAccesses()) {
                    assertFreed(access);
                }
            }
            assertUntouched(successor);
        }
    }

    /** Frees {@code object} and gives its block to a raw byte array filled with {@link #FILL}. */
    private static SharedByteArray freeAndReuse(SharedMemory shm, Object object) {
        long block = Handle.parse(Structs.handle(object)).placement().block();
        shm.free(object);
        SharedByteArray successor = shm.rawArray(TypeCode.BYTE, 512);
        assertEquals(block, Handle.parse(Structs.handle(successor)).placement().block(), "the new object reuses the block");
        successor.fill(FILL);
        return successor;
    }

    private static void assertUntouched(SharedByteArray successor) {
        byte[] expected = new byte[512];
        Arrays.fill(expected, FILL);
        assertTrue(Arrays.equals(expected, successor.toArray()), "the object that reuses the memory is unchanged");
    }

    private static void assertFreed(Executable access) {
        IllegalStateException e = assertThrows(IllegalStateException.class, access);
        assertTrue(e.getMessage().contains("was freed"), e.getMessage());
    }

    @Test
    void structsEveryViewOfThem() {
        refusedAfterFree(shm -> {
            Point p = shm.value(Point.class);
            Point raw = Structs.raw(p);
            Point attached = shm.attach(Structs.handle(p), Point.class);
            return new Case(p, List.of(() -> p.x(99), () -> p.y(), attached::x, () -> attached.y(1)),
                    List.of(() -> raw.x(99), raw::y, () -> Structs.raw(attached).x(5)));
        });
        refusedAfterFree(shm -> {
            var lock = shm.newLock();
            Point p = shm.rawValue(Point.class);
            Point attached = shm.attach(Structs.handle(p), Point.class);
            Point synchronizedView = Structs.synchronize(p, lock);
            return new Case(p, List.of(() -> synchronizedView.x(3)), List.of(() -> p.x(99), attached::y));
        });
    }

    /**
     * A hold of a lock that is not the object's own does not keep the object alive, so an
     * accessor inside such a hold looks at the object's liveness itself (the hold of an own lock
     * needs no look: free refuses an object whose own lock is held).
     */
    @Test
    void structsSynchronizedWithASeparateLockInsideAHoldOfIt() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            SharedLock lock = shm.newLock();
            Point own = shm.value(Point.class);
            // Made last, so that the array made after its free gets its block (checked there).
            Point p = shm.rawValue(Point.class);
            Point view = Structs.synchronize(p, lock);
            try (var _ = lock.acquire(); var _ = Structs.lock(own).acquire()) {
                view.x(3);
                assertEquals(3, view.x());
                SharedByteArray successor = freeAndReuse(shm, p);
                assertFreed(() -> view.x(99));
                assertFreed(view::y);
                assertUntouched(successor);
                IllegalStateException refused = assertThrows(IllegalStateException.class, () -> shm.free(own));
                assertTrue(refused.getMessage().contains("held"), refused.getMessage());
                own.x(5);
                assertEquals(5, own.x(), "an object whose own lock is held stays usable");
            }
        }
    }

    @Test
    void namedStructsFoundAgain() {
        refusedAfterFree(shm -> {
            Point p = shm.findOrCreate("p", Point.class);
            Point found = shm.find("p", Point.class).orElseThrow();
            return new Case(p, List.of(() -> found.x(7), () -> p.x(7)), List.of(() -> Structs.raw(found).x(7)));
        });
    }

    @Test
    void nestedViews() {
        refusedAfterFree(shm -> {
            Holder holder = shm.value(Holder.class);
            Vec vec = holder.vec();
            Holder raw = Structs.raw(holder);
            Vec rawVec = raw.vec();
            return new Case(holder, List.of(() -> vec.x(1), holder::flag, () -> holder.vec().y()),
                    List.of(() -> rawVec.x(1), raw::last));
        });
    }

    /**
     * A raw view read whole (printed, compared, hashed, copied from into a live object) is
     * refused as "was freed" too, naming the freed object, not with FFM's bare "Already closed"
     * (which a copy into a live object would otherwise seem to blame on that object).
     */
    @Test
    void rawViewsReadWholeOrCopiedFrom() {
        refusedAfterFree(shm -> {
            Holder liveHolder = shm.rawValue(Holder.class);
            Sensor liveSensor = shm.value(Sensor.class);
            SharedArray<Vec> liveArray = shm.array(Vec.class, 2);
            Vec liveVec = shm.value(Vec.class);
            // Made last, so that the array made after its free gets its block.
            Holder holder = shm.rawValue(Holder.class);
            Vec rawVec = holder.vec();
            return new Case(holder, List.of(), List.of(holder::toString, holder::hashCode, () -> holder.equals(liveHolder),
                    rawVec::toString, () -> liveSensor.position(rawVec), () -> liveArray.set(0, rawVec),
                    () -> liveArray.setRange(0, List.of(rawVec)), () -> liveVec.equals(rawVec), () -> Structs.copy(rawVec)));
        });
    }

    @Test
    void structArraysAndTheirElements() {
        refusedAfterFree(shm -> {
            SharedArray<Point> array = shm.array(Point.class, 3);
            Point element = array.get(1);
            SharedArray<Point> attached = shm.attachArray(Structs.handle(array), Point.class);
            SharedArray<Point> raw = Structs.raw(array);
            Point rawElement = raw.get(2);
            return new Case(array, List.of(() -> element.x(5), () -> array.get(0).x(), () -> array.set(0, Structs.local(Point.class)),
                    () -> attached.getRange(0, 3)),
                    List.of(() -> rawElement.y(5), () -> raw.set(1, Structs.local(Point.class)), () -> raw.getRange(0, 2)));
        });
    }

    @Test
    void primitiveArraysValuesAndStrings() {
        refusedAfterFree(shm -> {
            SharedIntArray array = shm.array(TypeCode.INT, new int[] {1, 2, 3});
            SharedIntArray raw = Structs.raw(array);
            SharedIntArray attached = shm.attach(Structs.handle(array), SharedIntArray.class);
            return new Case(array, List.of(() -> array.set(0, 9), array::toArray, () -> attached.fill(4)),
                    List.of(() -> raw.set(1, 9), () -> raw.get(2), () -> raw.setRange(0, new int[] {7, 7})));
        });
        refusedAfterFree(shm -> {
            SharedLongValue value = shm.value(TypeCode.LONG);
            SharedLongValue raw = Structs.raw(value);
            return new Case(value, List.of(() -> value.set(9), value::get, () -> value.update(v -> v + 1)),
                    List.of(() -> raw.set(9), raw::get));
        });
        refusedAfterFree(shm -> {
            SharedString text = shm.array(TypeCode.CHAR, 16);
            SharedString raw = Structs.raw(text);
            return new Case(text, List.of(() -> text.value("hello"), text::value),
                    List.of(() -> raw.value("hello"), raw::raw));
        });
    }

    /**
     * The lock of a freed object, and a freed lock, kept from before the free: every way of
     * taking it is refused, and the freed memory (the free list's links) is left as it was, so
     * the next allocation reuses the block and the region stays consistent.
     */
    @Test
    void aLockKeptAcrossAFreeIsRefusedEveryWayAndTouchesNothing() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Point point = shm.value(Point.class);
            SharedLock own = Structs.lock(point);
            SharedLock separate = shm.newLock();
            SharedByteArray keeper = shm.rawArray(TypeCode.BYTE, 16);
            shm.free(point);
            shm.free(separate);
            for (SharedLock lock : List.of(own, separate)) {
                assertFreed(lock::acquire);
                assertFreed(lock::lock);
                assertFreed(lock::tryLock);
                assertFreed(lock::lockInterruptibly);
                assertFreed(() -> lock.tryLock(1, TimeUnit.MILLISECONDS));
                if (SCOPED) {
                    // Its questions are refused by name too (without native access they read the freed memory).
                    assertFreed(lock::isLocked);
                    assertFreed(lock::isHeldByCurrentThread);
                    assertFreed(lock::holdCount);
                    assertFreed(lock::waiters);
                    assertFreed(lock::ownerPid);
                    assertFreed(lock::recoveries);
                    assertFreed(lock::unlock);
                    assertTrue(lock.toString().contains("freed"), lock.toString());
                }
            }
            // verify walks the free bins through those links: a token written into one is named there.
            var report = shm.verify();
            assertTrue(report.consistent(), report.toString());
            Point successor = shm.rawValue(Point.class);
            assertEquals(0.0, successor.x());
            assertTrue(shm.verify().consistent(), "the freed memory was reused cleanly");
            shm.free(keeper);
        }
    }

    @Test
    void aViewWithASharedLockIsRefusedAndTheLockStaysUsable() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            var lock = shm.newLock();
            Point p = shm.value(Point.class, lock);
            Point other = shm.value(Point.class, lock);
            shm.free(p);
            assertFreed(() -> p.x(1));
            other.x(2);
            assertEquals(2, other.x());
            assertTrue(!lock.isLocked(), "the refusal left the shared lock free");
        }
    }
}
