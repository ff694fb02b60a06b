package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of a region file taken (cp, a backup) while a thread of this process held one of its
 * locks carries a cell naming that thread with this process's start time, though no thread holds
 * the copy's lock. Close of a mapping of the copy takes that for a live hold and refuses, for
 * good: no release can ever come, so the mapping can never be closed.
 */
class CloseACopyTakenWhileHeldTest {
    @Test
    void aMappingOfACopyTakenWhileALockWasHeldCanBeClosed(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("original.region");
        Path copyPath = directory.resolve("backup.region");
        try (SharedMemory original = SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE)) {
            SharedLock lock = original.newLock();
            lock.lock();
            try {
                Files.copy(path, copyPath, StandardCopyOption.COPY_ATTRIBUTES);
            } finally {
                lock.unlock();
            }
        }
        SharedMemory copy = SharedMemory.open(copyPath);
        assertDoesNotThrow(copy::close, "close of a mapping of the copy is refused for a hold nobody has");
    }
}
