package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.testsupport.ChildJvm;
import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedByteArray;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.tests.Samples.Point;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A synchronized view in another process of an object this process freed is refused under its
 * lock, and never writes into the lock cell, the free block or the object that reuses the memory;
 * nor does the freed object's lock, kept from before the free.
 */
class StaleViewAcrossProcessesTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /**
     * Attaches a synchronized counter (own lock) and a point on a shared lock, takes the shared
     * lock and keeps it, says "attached", waits for a line on its input (the parent then finds
     * that it cannot free the point while this hold lasts), releases the lock and says
     * "released", waits for a second line (sent once the parent freed both), then uses both views
     * (the point inside a new hold of its lock, where an accessor of an object with its own lock
     * would look at nothing but the holder) and the counter's lock, and says how each was refused.
     */
    static final class UseStaleViews {
        public static void main(String[] args) throws Exception {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                Counter counter = shm.attach(args[0], Counter.class);
                Point point = shm.attach(args[1], Point.class);
                SharedLock counterLock = Structs.lock(counter);
                SharedLock.Held pointHold = Structs.lock(point).acquire();
                System.out.println("attached");
                BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                input.readLine();
                pointHold.close();
                System.out.println("released");
                input.readLine();
                System.out.println("counter: " + outcome(() -> counter.count(0x7777)));
                try (var _ = Structs.lock(point).acquire()) {
                    System.out.println("point: " + outcome(() -> point.x(1e300)));
                }
                // The lock cell is the free block's link word now (-1 at the end of its list, or 0 in
                // regions of earlier versions): a claim would write this thread's token into it.
                System.out.println("acquire: " + outcome(() -> counterLock.acquire().close()));
                System.out.println("lock: " + outcome(counterLock::lock));
                System.out.println("tryLock: " + outcome(counterLock::tryLock));
            }
        }

        static String outcome(Runnable write) {
            try {
                write.run();
                return "written";
            } catch (IllegalStateException e) {
                return e.getMessage().contains("was freed") ? "refused" : "other: " + e;
            }
        }
    }

    /**
     * Attaches the counters named by its arguments and keeps their own locks, says "attached",
     * waits for a line on its input (sent once the parent freed the counters and reused their
     * blocks), then tries each kept lock every way and says how each try went.
     */
    static final class ClaimStaleLocks {
        public static void main(String[] args) throws Exception {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                SharedLock[] locks = new SharedLock[args.length];
                for (int i = 0; i < args.length; i++) {
                    locks[i] = Structs.lock(shm.attach(args[i], Counter.class));
                }
                System.out.println("attached");
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                for (int i = 0; i < locks.length; i++) {
                    SharedLock lock = locks[i];
                    System.out.println(i + " acquire: " + UseStaleViews.outcome(() -> lock.acquire().close()));
                    System.out.println(i + " lock: " + UseStaleViews.outcome(lock::lock));
                    System.out.println(i + " tryLock: " + UseStaleViews.outcome(lock::tryLock));
                    System.out.println(i + " timed tryLock: " + UseStaleViews.outcome(() -> {
                        try {
                            lock.tryLock(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }));
                }
            }
        }
    }

    /**
     * The memory of a freed object reused at once, by an object with its own lock (a free lock
     * cell right where the old one was, at a newer generation) and by a raw array (whose first
     * word, where the old owner word was, reads 0): a lock another process kept from before the
     * free claims neither, however it is taken, and writes nothing there. The claim's
     * compare-and-set expects the free word of the old generation, which neither holds.
     */
    @Test
    void aKeptLockNeverClaimsTheMemoryThatReusedItsBlock() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Counter first = shm.value(Counter.class);
            SharedByteArray keeper = shm.rawArray(TypeCode.BYTE, 16);
            Counter second = shm.value(Counter.class);
            SharedByteArray keeper2 = shm.rawArray(TypeCode.BYTE, 16);
            long firstBlock = Handle.parse(Structs.handle(first)).placement().block();
            long secondBlock = Handle.parse(Structs.handle(second)).placement().block();
            ChildJvm child = ChildJvm.start(ClaimStaleLocks.class, Structs.handle(first), Structs.handle(second));
            child.awaitOutput("attached", Duration.ofMinutes(1));

            shm.free(second);
            shm.free(first);
            // The bins are last-in first-out: the first counter's block comes back first.
            Counter successor = shm.value(Counter.class);
            successor.count(0x1234_5678_9ABCL);
            assertEquals(firstBlock, Handle.parse(Structs.handle(successor)).placement().block());
            SharedByteArray zeroes = shm.rawArray(TypeCode.BYTE, 40);
            assertEquals(secondBlock, Handle.parse(Structs.handle(zeroes)).placement().block());
            try (OutputStream input = child.process().getOutputStream()) {
                input.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            child.joinSuccessfully(TIMEOUT);
            for (int i = 0; i < 2; i++) {
                for (String claim : new String[] {"acquire", "lock", "tryLock", "timed tryLock"}) {
                    assertTrue(child.output().contains(i + " " + claim + ": refused"), child.output() + child.errorOutput());
                }
            }

            SharedLock lock = Structs.lock(successor);
            assertTrue(!lock.isLocked() && lock.waiters() == 0 && lock.recoveries() == 0,
                    "the new object's lock cell is as it was: " + lock);
            assertEquals(0x1234_5678_9ABCL, successor.count());
            assertArrayEquals(new byte[40], zeroes.toArray(), "the raw object that reuses the memory is untouched");
            assertTrue(shm.verify().consistent(), shm.verify().toString());
            shm.free(keeper);
            shm.free(keeper2);
        }
    }

    @Test
    void staleSynchronizedViewsInAnotherProcessAreRefused() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            SharedLock shared = shm.newLock();
            Counter counter = shm.value(Counter.class);
            SharedByteArray keeper = shm.rawArray(TypeCode.BYTE, 16);
            Point point = shm.value(Point.class, shared);
            long counterBlock = Handle.parse(Structs.handle(counter)).placement().block();
            long pointBlock = Handle.parse(Structs.handle(point)).placement().block();
            ChildJvm child = ChildJvm.start(UseStaleViews.class, Structs.handle(counter), Structs.handle(point));
            child.awaitOutput("attached", Duration.ofMinutes(1));

            // The counter's block goes on the free list (its lock cell's owner word is now the list's
            // link, -1 at the end); the point's block is reused at once by a zeroed raw array, once
            // the child no longer holds the lock the point was made with: its accesses are checked
            // under that lock, which a free in between would make worthless.
            shm.free(counter);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> shm.free(point));
            assertTrue(refused.getMessage().contains("the lock it was made with is held, by process " + child.pid()),
                    refused.getMessage());
            SharedByteArray successor;
            try (OutputStream input = child.process().getOutputStream()) {
                input.write("release\n".getBytes(StandardCharsets.UTF_8));
                input.flush();
                child.awaitOutput("released", Duration.ofMinutes(1));
                shm.free(point);
                successor = shm.rawArray(TypeCode.BYTE, 64);
                assertEquals(pointBlock, Handle.parse(Structs.handle(successor)).placement().block());
                input.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            child.joinSuccessfully(TIMEOUT);
            assertTrue(child.output().contains("counter: refused"), child.output() + child.errorOutput());
            assertTrue(child.output().contains("point: refused"), child.output() + child.errorOutput());
            for (String claim : new String[] {"acquire", "lock", "tryLock"}) {
                assertTrue(child.output().contains(claim + ": refused"), child.output() + child.errorOutput());
            }

            assertArrayEquals(new byte[64], successor.toArray(), "the object that reuses the memory is untouched");
            assertTrue(!shared.isLocked() && shared.waiters() == 0, "the shared lock was released");
            Counter reuse = shm.rawValue(Counter.class);
            assertEquals(counterBlock, Handle.parse(Structs.handle(reuse)).placement().block(),
                    "the free list still leads to the freed block: nothing wrote into its link");
            assertEquals(0, reuse.count());
            shm.free(keeper);
            shm.free(shared);
        }
    }
}
