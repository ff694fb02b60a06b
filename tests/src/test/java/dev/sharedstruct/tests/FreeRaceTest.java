package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedByteArray;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.testsupport.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frees raced with claims from another process: a child keeps taking the locks of many counters
 * and writing them while this process frees the counters under it and reuses their memory at
 * once. A claim either comes first (the free is refused and tried again) or finds the object
 * freed; no write of the child ever lands in freed or reused memory, and the region stays
 * consistent.
 */
class FreeRaceTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final int COUNTERS = 200;

    @TempDir
    Path directory;

    /**
     * Attaches every counter whose handle is a line of the file args[0], says "ready", then
     * increments them in turn under their locks, dropping each one once it is refused as freed,
     * until all are; says how many increments it made and how each refusal read.
     */
    static final class Hammer {
        public static void main(String[] args) throws Exception {
            try (HandleFile.Attached attached = HandleFile.attachCounters(Path.of(args[0]))) {
                List<Counter> live = new ArrayList<>(attached.counters());
                System.out.println("ready");
                long increments = 0;
                int refusedAsFreed = 0;
                List<String> other = new ArrayList<>();
                while (!live.isEmpty()) {
                    for (int i = live.size() - 1; i >= 0; i--) {
                        Counter counter = live.get(i);
                        SharedLock lock = Structs.lock(counter);
                        try (var _ = lock.acquire()) {
                            counter.count(counter.count() + 1);
                            increments++;
                        } catch (IllegalStateException e) {
                            live.remove(i);
                            if (e.getMessage() != null && e.getMessage().contains("was freed")) {
                                refusedAsFreed++;
                            } else {
                                other.add(e.toString());
                            }
                        }
                    }
                }
                System.out.println("increments " + increments + " freed " + refusedAsFreed + " other " + other);
            }
        }
    }

    @Test
    void freesRacingWithClaimsOfAnotherProcessNeverLetAWriteIntoFreedMemory() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            List<Counter> counters = new ArrayList<>();
            List<String> handles = new ArrayList<>();
            for (int i = 0; i < COUNTERS; i++) {
                Counter counter = shm.value(Counter.class);
                counters.add(counter);
                handles.add(Structs.handle(counter));
            }
            Path handleFile = Files.write(directory.resolve("handles.txt"), handles);
            ChildJvm child = ChildJvm.start(Hammer.class, handleFile.toString());
            try {
                raceFreesAgainst(shm, counters, child);
            } finally {
                // A failed assertion must not leave the child claiming forever.
                child.process().destroyForcibly();
            }
        }
    }

    /** Frees every counter as soon as the child lets it, reuses its memory at once, and checks what the child left. */
    private static void raceFreesAgainst(SharedMemory shm, List<Counter> counters, ChildJvm child) throws Exception {
        child.awaitOutput("ready", Duration.ofMinutes(1));
        List<SharedByteArray> successors = new ArrayList<>();
        int refusals = 0;
        for (Counter counter : counters) {
            refusals += Frees.persistently(shm, counter, Duration.ofMinutes(1));
            // Reuse the memory at once: a late write of the child would land here.
            successors.add(shm.rawArray(TypeCode.BYTE, 24));
        }
        child.joinSuccessfully(TIMEOUT);
        String said = child.output();
        assertTrue(said.contains("freed " + COUNTERS + " other []"), said + child.errorOutput());
        for (SharedByteArray successor : successors) {
            assertArrayEquals(new byte[24], successor.toArray(), "a write reached memory reused after a free; child: " + said);
        }
        var report = shm.verify();
        assertTrue(report.consistent(), report + " (frees refused while held: " + refusals + ")");
        assertEquals(COUNTERS, successors.size());
    }
}
