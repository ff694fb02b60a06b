package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.testsupport.ChildJvm;
import dev.sharedstruct.tests.Samples.Point;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness (the check of every synchronized access and lock claim of a view) looks only at the
 * generation word of the view's block header, never at the block-start map. Once the block is
 * freed, merged into the free block below and that memory reused by a raw array, the old header's
 * generation word is array data: a value equal to the old generation (a small integer) makes a
 * stale synchronized view in another process live again, and it writes into the array.
 */
class StaleViewReusedMemoryTest {
    @TempDir
    Path directory;

    static final class UseStaleView {
        public static void main(String[] args) throws Exception {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                Point point = shm.attach(args[0], Point.class);
                System.out.println("attached");
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                try {
                    point.x(1e300);
                    System.out.println("point: written");
                } catch (IllegalStateException e) {
                    System.out.println("point: refused " + e.getMessage());
                }
            }
        }
    }

    static final class UseStaleCounter {
        public static void main(String[] args) throws Exception {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                Samples.Counter counter = shm.attach(args[0], Samples.Counter.class);
                System.out.println("attached");
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                try {
                    counter.count(0x7777);
                    System.out.println("counter: written");
                } catch (IllegalStateException e) {
                    System.out.println("counter: refused " + e.getMessage());
                }
            }
        }
    }

    /** The same with an object that owns its lock: a copy of its header word and lock cell in array data. */
    @Test
    void aStaleOwnLockViewIsNotRevivedByACopyOfItsCell() throws Exception {
        Path file = directory.resolve("stale-own.region");
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray below = shm.rawArray(TypeCode.LONG, 8);   // block of 128 bytes
            Samples.Counter counter = shm.value(Samples.Counter.class);
            SharedLongArray keeper = shm.rawArray(TypeCode.LONG, 2);
            long belowBlock = Handle.parse(Structs.handle(below)).placement().block() - 64;
            long counterBlock = Handle.parse(Structs.handle(counter)).placement().block() - 64;
            long size = RegionWords.read(file, counterBlock);
            long[] copy = new long[(64 + 32) / 8];                // header and lock cell, as they are now
            for (int i = 0; i < copy.length; i++) {
                copy[i] = RegionWords.read(file, counterBlock + 8L * i);
            }
            ChildJvm child = ChildJvm.start(UseStaleCounter.class, Structs.handle(counter));
            child.awaitOutput("attached", Duration.ofMinutes(1));
            shm.free(below);
            shm.free(counter);
            SharedLongArray reuse = shm.rawArray(TypeCode.LONG, (int) ((128 + size - 64) / 8));
            assertEquals(belowBlock + 64, Handle.parse(Structs.handle(reuse)).placement().block());
            int at = (int) ((counterBlock - (belowBlock + 64)) / 8);
            for (int i = 2; i < copy.length; i++) {                    // from the generation word on
                reuse.set(at + i, copy[i]);
            }
            long[] before = reuse.toArray();
            try (OutputStream input = child.process().getOutputStream()) {
                input.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            child.joinSuccessfully(Duration.ofMinutes(2));
            
            assertTrue(child.output().contains("counter: refused"), "the stale view of a freed counter wrote: " + child.output());
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(reuse.toArray()), "the array reusing the memory is untouched");
            shm.free(keeper);
        }
    }

    @Test
    void aStaleViewIsNotRevivedByArrayDataWhereItsHeaderWas() throws Exception {
        Path file = directory.resolve("stale.region");
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLock shared = shm.newLock();
            SharedLongArray below = shm.rawArray(TypeCode.LONG, 8);   // block of 128 bytes
            Point point = shm.value(Point.class, shared);               // block of 80 bytes
            SharedLongArray keeper = shm.rawArray(TypeCode.LONG, 2);
            long belowBlock = Handle.parse(Structs.handle(below)).placement().block() - 64;
            long pointBlock = Handle.parse(Structs.handle(point)).placement().block() - 64;
            long generation = Handle.parse(Structs.handle(point)).placement().generation();
            assertEquals(belowBlock + 128, pointBlock);
            ChildJvm child = ChildJvm.start(UseStaleView.class, Structs.handle(point));
            child.awaitOutput("attached", Duration.ofMinutes(1));

            shm.free(below);
            shm.free(point);                                             // merges into the block below: 208 bytes free
            SharedLongArray reuse = shm.rawArray(TypeCode.LONG, 18);     // exactly that block
            assertEquals(belowBlock + 64, Handle.parse(Structs.handle(reuse)).placement().block());
            // The array's data, where the point's header had its generation word: a small integer.
            int generationIndex = (int) ((pointBlock + 16 - (belowBlock + 64)) / 8);
            reuse.set(generationIndex, generation);
            long[] before = reuse.toArray();
            try (OutputStream input = child.process().getOutputStream()) {
                input.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            child.joinSuccessfully(Duration.ofMinutes(2));
            
            assertTrue(child.output().contains("point: refused"), "the stale view of a freed point wrote: " + child.output());
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(reuse.toArray()), "the array reusing the memory is untouched");
            shm.free(keeper);
        }
    }
}
