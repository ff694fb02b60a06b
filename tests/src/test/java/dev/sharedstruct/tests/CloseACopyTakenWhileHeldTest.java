package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
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

    /**
     * The thread named in the copied cell is this very thread: taking the copy's lock must not
     * count as re-entering a hold it never made through the copy, but take the lock over, saying
     * the previous owner died (the copied data under it may be half-written); and it is then
     * released for good.
     */
    @Test
    void theCopiedHoldIsTakenOverNotReenteredByTheThreadItNames(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("original.region");
        Path copyPath = directory.resolve("backup.region");
        String handle;
        try (SharedMemory original = SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE)) {
            Counter counter = original.value(Counter.class);
            handle = Structs.handle(counter);
            try (var _ = Structs.lock(counter).acquire()) {
                counter.count(7);
                Files.copy(path, copyPath, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        try (SharedMemory copy = SharedMemory.open(copyPath)) {
            Counter copied = copy.attach(handle, Counter.class);
            SharedLock lock = Structs.lock(copied);
            try (var held = lock.acquire()) {
                assertTrue(held.previousOwnerDied(), "the copied hold was re-entered as this thread's own");
                assertEquals(1, lock.holdCount());
                assertEquals(7, copied.count());
            }
            assertFalse(lock.isLocked(), "the lock stayed held after the only hold was released");
            java.util.concurrent.CompletableFuture<Boolean> other = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                boolean taken = lock.tryLock();
                if (taken) {
                    lock.unlock();
                }
                return taken;
            });
            assertTrue(other.get(10, java.util.concurrent.TimeUnit.SECONDS), "another thread cannot take the lock");
        }
    }
}
