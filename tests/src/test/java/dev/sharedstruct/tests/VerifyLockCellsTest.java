package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.RegionReport;
import dev.sharedstruct.SharedIntValue;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import org.junit.jupiter.api.Test;

/**
 * A lock cell's {@code waiters} word is a count generation (high 16 bits, from the block's
 * generation) and a count (low 16 bits), any value of which is valid (docs/LOCK.md): verify must
 * not read it as one signed count, which turns negative for every cell whose count generation
 * is 32768 or more, that is, in any region that has made some 32,000 objects.
 */
class VerifyLockCellsTest {

    @Test
    void lockCellsOfLateGenerationsAreConsistent() {
        try (SharedMemory shm = SharedMemory.create(4 << 20)) {
            // Block generations come from one counter: walk it to where a cell's count generation has its top bit.
            for (int i = 0; i < 32_800; i++) {
                shm.rawValue(TypeCode.BYTE);
            }
            SharedIntValue value = shm.value(TypeCode.INT);
            SharedLock lock = shm.newLock();
            value.set(1);
            try (var _ = lock.acquire()) {
                assertTrue(Structs.lock(value).tryLock());
                Structs.lock(value).unlock();
            }
            RegionReport report = shm.verify();
            assertTrue(report.consistent(), report.toString());
            assertEquals(1, value.get());
        }
    }
}
