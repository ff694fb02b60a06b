package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.testsupport.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * User data that forges a freed lock's free word is not taken for the lock. The fast path of
 * {@code acquire()} / {@code lock()} is {@code CAS(owner, 1 << 63 | generation, token)}, and no
 * allocation of sharedstruct's puts that word anywhere but in the live cell; but user data can
 * hold any 64-bit value: a raw {@code long[]} (or a {@code double[]} holding
 * {@code -generation * Double.MIN_VALUE}) that reuses a freed object's block and has
 * {@code Long.MIN_VALUE | generation} in the word where the freed lock's owner word was. A
 * process that still has the freed object's lock must refuse it with "was freed" and leave the
 * array as it was (the claim looks at the block's generation after its compare-and-set and puts
 * the word back). Found by attack: the first format 3 fast path had no such look, and the claim
 * wrote its token and {@code owner_start} into the array and the caller then the freed counter's
 * field.
 *
 * <p>The pattern is not guessed: the generation of a block is in every handle of its object
 * ({@code generation=}), so any process that saw a handle knows the word; and a long array of
 * small negative numbers offset by {@code Long.MIN_VALUE} is ordinary data.
 *
 * <p>Both a counter's own lock and a {@code newLock()} lock (an object's shared lock) are shown.
 */
class StaleFreeWordTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    /**
     * Attaches the two counters whose handles are args[0] and args[1], keeps their locks, says
     * "ready", waits for "go" on its standard input, then acquires each lock (and writes 42
     * under it), saying "claimed N" or "refused N ..." for each.
     */
    static final class StaleClaimer {
        public static void main(String[] args) throws Exception {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                List<Counter> counters = new ArrayList<>();
                List<SharedLock> locks = new ArrayList<>();
                for (String handle : args) {
                    Counter counter = shm.attach(handle, Counter.class);
                    counters.add(counter);
                    locks.add(Structs.lock(counter));
                }
                System.out.println("ready");
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                if (!"go".equals(in.readLine())) {
                    throw new IllegalStateException("no go");
                }
                for (int i = 0; i < counters.size(); i++) {
                    try (var _ = locks.get(i).acquire()) {
                        System.out.println("claimed " + i);
                        counters.get(i).count(42);
                    } catch (IllegalStateException e) {
                        System.out.println("refused " + i + " " + e.getMessage());
                    }
                }
                System.out.println("done");
            }
        }
    }

    private static long freeWord(long generation) {
        return Long.MIN_VALUE | generation;
    }

    private static long generationOf(Object object) {
        return Handle.parse(Structs.handle(object)).placement().generation();
    }

    @Test
    void aReusedArrayHoldingTheFreedLocksFreeWordIsNeverClaimedByAStaleLock() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Counter own = shm.value(Counter.class);
            Placement ownAt = placement(own);
            SharedLock shared = shm.newLock();
            Counter locked = shm.value(Counter.class, shared);
            long sharedBlock = Handle.parse(Structs.handle(locked)).placement().lock();
            ChildJvm child = ChildJvm.start(StaleClaimer.class, Structs.handle(own), Structs.handle(locked));
            try {
                child.awaitOutput("ready", TIMEOUT);
                // The counter's own lock: free it, and reuse its block (lock cell 32 bytes + count 8)
                // with 5 longs whose first is the freed cell's free word.
                long[] ownPattern = {freeWord(ownAt.generation()), 0, 0, 0, 0};
                shm.free(own);
                SharedLongArray ownSuccessor = shm.rawArray(TypeCode.LONG, ownPattern);
                assertEquals(ownAt.block(), placement(ownSuccessor).block(), "the array reuses the counter's block");
                // The shared lock: its generation is the LOCK block's, read from the block header.
                long sharedGeneration = RegionWords.read(shm.path(), sharedBlock - 48);
                assertTrue(sharedGeneration > 0, "generation " + sharedGeneration);
                shm.free(locked);
                shm.free(shared);
                long[] sharedPattern = {freeWord(sharedGeneration), 0, 0, 0};
                SharedLongArray sharedSuccessor = shm.rawArray(TypeCode.LONG, sharedPattern);
                assertEquals(sharedBlock, placement(sharedSuccessor).block(), "the array reuses the lock's block");

                try (OutputStream stdin = child.process().getOutputStream()) {
                    stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
                }
                child.joinSuccessfully(TIMEOUT);
                String said = child.output();
                assertAll(
                        () -> assertArrayEquals(ownPattern, ownSuccessor.toArray(),
                                "a stale claim of the freed counter's own lock wrote into the array that reused its block; child: " + said),
                        () -> assertArrayEquals(sharedPattern, sharedSuccessor.toArray(),
                                "a stale claim of the freed newLock() wrote into the array that reused its block; child: " + said),
                        () -> assertTrue(!said.contains("claimed"), "a lock of a freed block was claimed; child: " + said));
                assertTrue(shm.verify().consistent(), shm.verify().toString());
            } finally {
                child.process().destroyForcibly();
            }
        }
    }

    private static Placement placement(Object object) {
        var placement = Handle.parse(Structs.handle(object)).placement();
        return new Placement(placement.block(), placement.generation());
    }

    private record Placement(long block, long generation) {
    }
}
