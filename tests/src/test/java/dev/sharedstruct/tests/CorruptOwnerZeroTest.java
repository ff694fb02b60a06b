package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import org.junit.jupiter.api.Test;

/**
 * An owner word of 0 in a block's lock cell (pid 0: no process could have written it; the free
 * word of a block cell is {@code 1 << 63 | generation} since format 3) is a corrupt owner that a
 * waiter takes over at its next liveness check, logged as "corrupt" and counted in
 * {@code recoveries} (docs/LOCK.md, "Corrupt cells"), and the caller is told that what the lock
 * guards may be half-updated. Found by attack: a starving waiter used to "ask for a hand-off"
 * with {@code CAS(owner, 0, 0 | HANDOFF)}, which made the word {@code RESERVED}, and then took
 * the lock as an ordinary hand-off, unreported; a waiter now asks only an owner whose word is a
 * valid token.
 */
class CorruptOwnerZeroTest {
    @Test
    void anOwnerWordOfZeroIsTakenOverAsCorrupt() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Counter counter = shm.value(Counter.class);
            long cell = Handle.parse(Structs.handle(counter)).placement().lock();
            RegionWords.write(shm.path(), cell, 0L);
            SharedLock lock = Structs.lock(counter);
            try (var held = lock.acquire()) {
                assertTrue(held.previousOwnerDied(), "a corrupt owner word 0 was taken without a takeover being reported");
                assertEquals(1, lock.recoveries());
            }
        }
    }
}
