package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.tests.Samples.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A claim that close cut off must be left to be taken over whatever became of the region's path
 * meanwhile: other processes that still map the file would otherwise wait for the lock until this
 * live process exits. The path may no longer lead to the mapped file (its creator closed and
 * deleted it, or a new region was published over it), or its mode changed so that open refuses it;
 * the mapped file is still there for every process that maps it (here, through a hard link).
 */
class CloseAfterTheFileChangedTest {
    /** A mapping of a new region at {@code path} (through {@code link} too), with a claim of this thread on one lock that close cuts off. */
    private static long cutOffClaimIn(Path path, Path link, SharedMemory[] closing) throws Exception {
        SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE).close();
        Files.createLink(link, path);
        closing[0] = SharedMemory.open(path);
        closing[0].value(Counter.class);
        long cell = RegionWords.firstOwnLockCell(closing[0]);
        // A claim whose compare-and-set was made through `closing` and whose next store close refused.
        RegionWords.forgeClaimCutOffBeforeItsStartTime(path, cell);
        return cell;
    }

    private static void assertNotHeldInTheNameOfThisProcess(Path file, long cell, String what) {
        assertFalse(RegionWords.heldInTheNameOfThisProcess(file, cell),
                what + ": a claim cut off by close stayed held in the name of this live process");
    }

    @Test
    void theFileWasDeletedByItsCreator(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("deleted.region");
        Path link = directory.resolve("still-mapped-elsewhere.region");
        SharedMemory[] closing = new SharedMemory[1];
        long cell = cutOffClaimIn(path, link, closing);
        Files.delete(path);

        closing[0].close();

        assertNotHeldInTheNameOfThisProcess(link, cell, "the path deleted before close");
    }

    @Test
    void aNewRegionWasPublishedAtThePath(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("replaced.region");
        Path link = directory.resolve("still-mapped-elsewhere.region");
        SharedMemory[] closing = new SharedMemory[1];
        long cell = cutOffClaimIn(path, link, closing);
        Path newer = directory.resolve("newer.region");
        SharedMemory.create(newer, 1 << 20, RegionOption.KEEP_FILE).close();
        Files.move(newer, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        closing[0].close();

        assertNotHeldInTheNameOfThisProcess(link, cell, "another region published at the path before close");
    }

    @Test
    void theFileModeWasChanged(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("chmod.region");
        Path link = directory.resolve("still-mapped-elsewhere.region");
        SharedMemory[] closing = new SharedMemory[1];
        long cell = cutOffClaimIn(path, link, closing);
        // Made writable by all (open refuses such a file): the mapping, made before, still reaches it.
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));

        closing[0].close();

        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        assertNotHeldInTheNameOfThisProcess(link, cell, "the file's mode changed before close");
    }
}
