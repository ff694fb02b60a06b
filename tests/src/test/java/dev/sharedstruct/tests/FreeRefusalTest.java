package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedIntArray;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.tests.Samples.Point;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** free refuses, changing nothing, what is still in use: an object whose lock is held or waited for, a lock objects use. */
class FreeRefusalTest {

    @Test
    void anObjectWhoseLockIsHeldOrWaitedForIsNotFreed() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Counter counter = shm.value(Counter.class);
            counter.count(41);
            long free = shm.freeBytes();
            SharedLock lock = Structs.lock(counter);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().start(() -> {
                lock.lock();
                try {
                    held.countDown();
                    release.await();
                    counter.count(counter.count() + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.unlock();
                }
            });
            assertTrue(held.await(1, TimeUnit.MINUTES));
            Thread waiter = Thread.ofPlatform().start(() -> counter.count(counter.count() + 1));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (lock.waiters() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> shm.free(counter));
            assertTrue(refused.getMessage().contains("its lock is held, by process " + ProcessHandle.current().pid()),
                    refused.getMessage());
            assertEquals(free, shm.freeBytes(), "the refused free changed nothing");
            release.countDown();
            holder.join();
            waiter.join();
            assertEquals(43, counter.count(), "holder and waiter both finished on the live object");

            lock.lock();
            try {
                assertThrows(IllegalStateException.class, () -> shm.free(counter), "the holder itself cannot free it either");
            } finally {
                lock.unlock();
            }
            shm.free(counter);
        }
    }

    @Test
    void aLockThatObjectsStillUseIsNotFreed() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            SharedLock lock = shm.newLock();
            Point point = shm.value(Point.class, lock);
            SharedIntArray array = shm.array(TypeCode.INT, 3, lock);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> shm.free(lock));
            assertTrue(refused.getMessage().contains("2 objects made with its lock still use it"), refused.getMessage());
            point.x(1.5);
            assertEquals(1.5, point.x(), "the lock still works for its objects");

            shm.free(point);
            refused = assertThrows(IllegalStateException.class, () -> shm.free(lock));
            assertTrue(refused.getMessage().contains("1 object made with its lock still uses it"), refused.getMessage());
            array.set(0, 7);

            shm.free(array);
            lock.lock();
            try {
                assertThrows(IllegalStateException.class, () -> shm.free(lock), "a held lock is not freed");
            } finally {
                lock.unlock();
            }
            shm.free(lock);
            assertThrows(IllegalStateException.class, () -> shm.free(lock), "a second free is refused");
            assertThrows(IllegalStateException.class, () -> shm.value(Point.class, lock), "a freed lock makes no new objects");
        }
    }

    @Test
    void aLockUseCountSurvivesAttachAndFind() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            SharedLock lock = shm.newLock();
            Point point = shm.value(Point.class, lock);
            Point attached = shm.attach(Structs.handle(point), Point.class);
            assertEquals(lock, Structs.lock(attached));
            assertThrows(IllegalStateException.class, () -> shm.free(lock), "attaching made no new user, nor lost one");
            shm.free(attached);
            shm.free(lock);
        }
    }

    @Test
    void anObjectWhoseOwnLockOtherObjectsUseIsNotFreed() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Counter owner = shm.value(Counter.class);
            Point guarded = shm.value(Point.class, Structs.lock(owner));
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> shm.free(owner));
            assertTrue(refused.getMessage().contains("1 object made with its lock still uses it"), refused.getMessage());
            Point attached = shm.attach(Structs.handle(guarded), Point.class);
            assertEquals(Structs.lock(owner), Structs.lock(attached));
            shm.free(guarded);
            shm.free(owner);
        }
    }
}
