package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstruct.LockState;
import dev.sharedstruct.RegionInspector;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing one mapping of a region must leave alone a lock that a thread holds through another
 * mapping of the same file in this process: that holder can still release it. Close must neither
 * disown such a hold (other processes would take the lock over from a live holder: two holders)
 * nor refuse for it. And a hold that the close cut off (claimed through the closing mapping in
 * close's own moment, so never to be released through it) must not stay held while the other
 * mapping keeps the region open.
 */
class CloseOtherMappingTest {
    @Test
    void closingOneMappingNeverDisownsAHoldMadeThroughAnother(@TempDir Path directory) throws Exception {
        long pid = ProcessHandle.current().pid();
        Path path = directory.resolve("two-mappings.region");
        try (SharedMemory kept = SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE)) {
            SharedLock lock = kept.newLock();
            java.util.List<String> handles = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                handles.add(dev.sharedstruct.Structs.handle(kept.rawValue(dev.sharedstruct.tests.Samples.Counter.class)));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong holds = new AtomicLong();   // odd while held
            Thread holder = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    lock.lock();
                    holds.incrementAndGet();
                    try {
                        long until = System.nanoTime() + 200_000;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                    } finally {
                        holds.incrementAndGet();
                        lock.unlock();
                    }
                    long idle = System.nanoTime() + java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000);
                    while (System.nanoTime() < idle) {
                        Thread.onSpinWait();
                    }
                }
            });
            try {
                long deadline = System.nanoTime() + 20_000_000_000L;
                int closes = 0;
                while (System.nanoTime() < deadline && closes < 2000) {
                    SharedMemory other = SharedMemory.open(path);
                    for (String handle : handles) {
                        other.attach(handle, dev.sharedstruct.tests.Samples.Counter.class);   // a scope each: a longer close
                    }
                    RegionCloseTest.closeWhenAllowed(other);
                    closes++;
                    long before = holds.get();
                    for (LockState state : RegionInspector.of(kept).locks()) {
                        if (state.ownerPid() == pid && state.owner() != LockState.Owner.ALIVE && state.owner() != LockState.Owner.NONE
                                && before == holds.get() && (before & 1) == 1) {
                            stop.set(true);
                            fail("after close " + closes + " of another mapping, the live hold made through this one reads "
                                    + state.owner() + ": " + state);
                        }
                    }
                }
                System.out.println("closes of the other mapping: " + closes);
            } finally {
                stop.set(true);
                holder.join(10_000);
            }
        }
    }

    @Test
    void aHoldCutOffByClosingOneMappingIsReleasedWhileAnotherStaysOpen(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("cut-off.region");
        try (SharedMemory kept = SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE)) {
            dev.sharedstruct.tests.Samples.Counter counter = kept.value(dev.sharedstruct.tests.Samples.Counter.class);
            String handle = dev.sharedstruct.Structs.handle(counter);
            SharedLock lock = dev.sharedstruct.Structs.lock(counter);
            long deadline = System.nanoTime() + 6_000_000_000L;
            int rounds = 0;
            while (System.nanoTime() < deadline && rounds < 200) {
                rounds++;
                SharedMemory closing = SharedMemory.open(path);
                SharedLock through = dev.sharedstruct.Structs.lock(
                        closing.attach(handle, dev.sharedstruct.tests.Samples.Counter.class));
                java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
                Thread user = Thread.ofPlatform().start(() -> {
                    started.countDown();
                    try {
                        while (true) {
                            try (var _ = through.acquire()) {
                                Thread.onSpinWait();
                            }
                        }
                    } catch (IllegalStateException closed) {
                        // The mapping is gone: this thread's holds through it must be gone too.
                        ended.set(closed);
                    }
                });
                started.await();
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.ThreadLocalRandom.current().nextInt(200_000));
                RegionCloseTest.closeWhenAllowed(closing);
                user.join(10_000);
                if (!lock.tryLock(2, java.util.concurrent.TimeUnit.SECONDS)) {
                    fail("round " + rounds + ": after the other mapping closed under a thread using the lock through it,"
                            + " the lock stays held: " + RegionInspector.of(kept).locks(), ended.get());
                }
                lock.unlock();
            }
            System.out.println("rounds: " + rounds);
        }
    }

    /**
     * Two mappings closing at the same moment while a thread uses a lock through one of them:
     * neither may count on the other to finish a hold it cut off, so none may stay held in the name
     * of this live process once both are closed (other processes would wait until it exits).
     */
    @Test
    void twoMappingsClosingAtOnceLeaveNoHoldInTheNameOfThisProcess(@TempDir Path directory) throws Exception {
        long deadline = System.nanoTime() + 6_000_000_000L;
        for (int round = 0; round < 200 && System.nanoTime() < deadline; round++) {
            Path path = directory.resolve("both-" + round + ".region");
            SharedMemory.create(path, 1 << 20, RegionOption.KEEP_FILE).close();
            SharedMemory first = SharedMemory.open(path);
            SharedMemory second = SharedMemory.open(path);
            SharedLock lock = dev.sharedstruct.Structs.lock(first.value(dev.sharedstruct.tests.Samples.Counter.class));
            long cell = RegionWords.firstOwnLockCell(first);
            Thread user = Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        try (var _ = lock.acquire()) {
                            Thread.onSpinWait();
                        }
                    }
                } catch (IllegalStateException closed) {
                    // Both mappings are going.
                }
            });
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.ThreadLocalRandom.current().nextInt(200_000));
            Thread closingSecond = Thread.ofPlatform().start(() -> RegionCloseTest.closeWhenAllowed(second));
            RegionCloseTest.closeWhenAllowed(first);
            closingSecond.join(10_000);
            user.join(10_000);
            if (RegionWords.heldInTheNameOfThisProcess(path, cell)) {
                fail("round " + round + ": the lock stayed held in the name of this process after both mappings closed");
            }
        }
    }
}
