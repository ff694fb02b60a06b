package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.tests.Samples.Counter;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapping closes under a thread using one of its objects while another thread of this process
 * keeps opening and closing other mappings of the same file. The cut-off thread looks for another
 * open mapping to finish its claim through, and the close looks whether another mapping is open
 * before disowning; a mapping opened between the two looks makes both stand back: the thread
 * found none, the close saw one. The hold then stays in the name of this live process: every
 * later close of a mapping of the file is refused for it, and other processes wait for the lock
 * until this one exits.
 */
class CloseWhileAnotherMappingChurnsTest {
    @Test
    void aClaimCutOffWhileOtherMappingsOpenAndCloseIsNeverLeftHeld(@TempDir Path directory) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        int round = 0;
        for (; round < 400 && System.nanoTime() < deadline; round++) {
            Path path = directory.resolve("churn-" + round + ".region");
            SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE).close();
            SharedMemory closing = SharedMemory.open(path);
            Counter counter = closing.value(Counter.class);
            long cell = RegionWords.firstOwnLockCell(closing);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> refusedForGood = new AtomicReference<>();
            Thread using = Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        counter.count(counter.count() + 1);
                    }
                } catch (IllegalStateException closed) {
                    // cut off
                }
            });
            Thread churning = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    SharedMemory other = SharedMemory.open(path);
                    long refusedSince = System.nanoTime();
                    while (true) {
                        try {
                            other.close();
                            break;
                        } catch (IllegalStateException refused) {
                            if (System.nanoTime() - refusedSince > 3_000_000_000L) {
                                refusedForGood.set(refused.getMessage());
                                return;
                            }
                            Thread.onSpinWait();
                        }
                    }
                }
            });
            java.util.concurrent.locks.LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(100_000, 2_000_000));
            RegionCloseTest.closeWhenAllowed(closing);
            using.join(10_000);
            assertFalse(using.isAlive());
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            stop.set(true);
            churning.join(10_000);
            if (refusedForGood.get() != null) {
                fail("round " + round + ": after the close, another mapping's close is refused for good (thread "
                        + using.threadId() + " was cut off): " + refusedForGood.get());
            }
            if (RegionWords.heldInTheNameOfThisProcess(path, cell)) {
                fail("round " + round + ": the lock stayed held in the name of this process");
            }
            java.nio.file.Files.delete(path);
        }
        System.out.println("churn rounds: " + round);
    }
}
