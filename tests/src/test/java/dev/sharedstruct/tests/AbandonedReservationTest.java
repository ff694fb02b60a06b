package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a long waiter killed while it waited leaves in its lock's cell: the lock reserved for it
 * (released by a holder that honoured its hand-off request) and its registration in the waiter
 * count. Nothing may stay stuck on that: a polling tryLock gets the lock, the count heals, and
 * the object can be freed. The state is written into the cell as the kill leaves it
 * (LockAcrossProcessesTest makes real hand-offs between processes).
 */
class AbandonedReservationTest {
    /** docs/LOCK.md: the owner word of a lock released for a long waiter. */
    private static final long RESERVED = 1L << 31;
    private static final long WAITERS = 12;

    private SharedMemory shm;
    private Counter counter;
    private SharedLock lock;

    @BeforeEach
    void leaveAReservationOfADeadWaiter() {
        shm = SharedMemory.create(1 << 16);
        counter = shm.value(Counter.class);
        lock = Structs.lock(counter);
        Path file = shm.path();
        long cell = Handle.parse(Structs.handle(counter)).placement().lock();
        int waiters = RegionWords.readInt(file, cell + WAITERS);
        RegionWords.writeInt(file, cell + WAITERS, waiters + 1);               // its registration
        RegionWords.write(file, cell, RESERVED);                               // the lock left for it
        assertTrue(lock.isLocked());
        assertEquals(1, (RegionWords.readInt(file, cell + WAITERS) & 0xFFFF));
    }

    @AfterEach
    void close() {
        shm.close();
    }

    @Test
    void aPollingTryLockTakesAReservationNobodyTakes() throws InterruptedException {
        assertFalse(lock.tryLock(), "a fresh reservation is for the long waiter");
        long start = System.nanoTime();
        while (!lock.tryLock()) {
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "tryLock never took the abandoned reservation: " + lock);
            Thread.sleep(5);
        }
        try {
            counter.count(counter.count() + 1);
        } finally {
            lock.unlock();
        }
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 90, "taken before the reservation was 100 ms old");
        assertEquals(0, lock.waiters(), "the dead waiter is still counted");
        assertFalse(lock.isLocked());
    }

    @Test
    void waitersForgetsTheDeadWaiterAndItsReservation() {
        assertEquals(0, lock.waiters());
        assertFalse(lock.isLocked(), "the reservation outlived its waiter: " + lock);
    }

    @Test
    void theObjectCanBeFreed() {
        shm.free(counter);
        assertTrue(shm.verify().consistent());
    }
}
