package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sharedstruct.SharedIntValue;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.TypeCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open race: in each round four processes, released at the same moment through a control region,
 * call {@code openOrCreate} on a new path and {@code findOrCreate} on 20 names. Every round must
 * have exactly one creator, no refusal, and each name counted by all four. 100 rounds in the
 * suite; the stress run is {@code mvn -pl tests test -Dtest=OpenRaceTest -Dsharedstruct.openRace.rounds=1000}.
 */
class OpenRaceTest {
    private static final int ROUNDS = Integer.getInteger("sharedstruct.openRace.rounds", 100);
    private static final int RACERS = 4;

    @Test
    void fourProcessesRacingOpenOrCreateAreNeverRefused(@TempDir Path directory) throws Exception {
        Path controlPath = directory.resolve("control.region");
        try (SharedMemory control = SharedMemory.create(controlPath, 1 << 16, dev.sharedstruct.RegionOption.KEEP_FILE)) {
            SharedIntValue started = control.findOrCreateValue("started", TypeCode.INT);
            SharedIntValue finished = control.findOrCreateValue("finished", TypeCode.INT);
            SharedIntValue creators = control.findOrCreateValue("creators", TypeCode.INT);
            SharedIntValue refusals = control.findOrCreateValue("refusals", TypeCode.INT);
            List<RawChild> racers = new ArrayList<>();
            try {
                for (int i = 0; i < RACERS; i++) {
                    racers.add(RawChild.start(IntegrityChildren.OpenRacer.class, List.of(), controlPath.toString(), directory.toString(),
                            Integer.toString(ROUNDS)));
                }
                for (int round = 1; round <= ROUNDS; round++) {
                    started.set(round);
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (finished.get() < round * RACERS) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("round " + round + " did not finish; " + racers.get(0).errors());
                        }
                        Thread.sleep(1);
                    }
                    assertEquals(0, refusals.get(), () -> "refusals by round " + started.get() + ": " + racers.stream().map(RawChild::errors).toList());
                    assertEquals(round, creators.get(), "exactly one creator per round");
                    Path region = directory.resolve("round-" + round + ".region");
                    try (SharedMemory shm = SharedMemory.open(region)) {
                        for (int name = 0; name < 20; name++) {
                            assertEquals(RACERS, shm.findValue("v" + name, TypeCode.INT).orElseThrow().get(), "v" + name);
                        }
                        assertNull(IntegrityChildren.problemsOf(shm));
                    }
                    Files.delete(region);
                }
                for (RawChild racer : racers) {
                    assertEquals(0, racer.join(60), racer.errors());
                }
            } finally {
                for (RawChild racer : racers) {
                    racer.close();
                }
            }
            System.out.println("open race: " + ROUNDS + " rounds of " + RACERS + " processes, " + refusals.get() + " refusals");
        }
    }
}
