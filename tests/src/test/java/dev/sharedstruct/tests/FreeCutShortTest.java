package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionFullException;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.RegionReport;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A free retires its block with two stores, the generation to 0 and then the state to FREE
 * ({@code BlockHeader.retire}). A child JVM is SIGKILLed between the two (the crash point
 * {@code free.retiring}) while it frees an unnamed array, a named array (the first block its
 * removal retires is the name's layout text), or an object made with a separate lock; the next
 * holder of the region lock repairs the region. The repaired region must have lost nothing: it
 * is consistent and holds exactly the blocks, used bytes and free bytes of a twin region in
 * which the same free ran to its end; the memory of the array is allocated again whole, in a
 * region too full to serve it from the top; the separate lock counts no user; the handle and a
 * synchronized view made before the free are refused. {@code -Dsharedstruct.freeCutShortRounds=N}
 * repeats each scenario N times (1 by default).
 */
class FreeCutShortTest {
    /** Longs in the big array: its block (32,064 bytes) is more than the region has left above it. */
    private static final int LONGS = 4000;
    private static final long SIZE = 1 << 16;
    private static final long BLK_LOCK_USERS = 12;
    /** Kills per scenario; {@code -Dsharedstruct.freeCutShortRounds=N} runs more. */
    private static final int ROUNDS = Integer.getInteger("sharedstruct.freeCutShortRounds", 1);

    @TempDir
    Path directory;

    /**
     * Opens region args[0], finds the object of scenario args[1] (args[2] is its handle or name),
     * says "ready", and frees it: the test pauses it in the middle of the free and kills it.
     */
    static final class Freer {
        public static void main(String[] args) {
            SharedMemory shm = SharedMemory.open(Path.of(args[0]));
            Object victim = victim(shm, args[1], args[2]);
            System.out.println("ready");
            System.out.flush();
            shm.free(victim);
            System.out.println("freed");
            System.out.flush();
        }
    }

    static Object victim(SharedMemory shm, String scenario, String handleOrName) {
        return switch (scenario) {
            case "named" -> shm.findArray(handleOrName, TypeCode.LONG).orElseThrow();
            case "locked" -> shm.attach(handleOrName, Point.class);
            default -> shm.attach(handleOrName, SharedLongArray.class);
        };
    }

    /**
     * Makes region {@code file} for {@code scenario}, always the same way: the object to free, then
     * a named guard above it (so the freed block is not at the top); returns the object's handle
     * or name and, for "locked", the offset of its lock's block.
     */
    static String[] makeRegion(Path file, String scenario) {
        try (SharedMemory shm = SharedMemory.create(file, SIZE, RegionOption.KEEP_FILE)) {
            String victim;
            long lockBlock = 0;
            switch (scenario) {
                case "named" -> {
                    shm.findOrCreateArray("big", TypeCode.LONG, LONGS).set(LONGS - 1, 42);
                    victim = "big";
                }
                case "locked" -> {
                    var lock = shm.newLock();
                    Point point = shm.value(Point.class, lock);
                    point.x(5.5);
                    victim = Structs.handle(point);
                    lockBlock = RegionWords.handleField(point, "lock") - RegionWords.BLOCK_HEADER;
                }
                default -> {
                    SharedLongArray big = shm.rawArray(TypeCode.LONG, LONGS);
                    big.set(LONGS - 1, 42);
                    victim = Structs.handle(big);
                }
            }
            shm.findOrCreate("guard", Point.class).x(3.5);
            if (!scenario.equals("locked")) {
                assertThrows(RegionFullException.class, () -> shm.rawArray(TypeCode.LONG, LONGS),
                        "the region has room for a second array: the test would not show that the first one's memory came back");
            }
            return new String[] {victim, Long.toString(lockBlock)};
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unnamed", "named", "locked"})
    void aFreeKilledBetweenItsTwoStoresLosesNothing(String scenario) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            killAndCompare(scenario + "-" + round, scenario);
        }
    }

    private void killAndCompare(String name, String scenario) throws Exception {
        // The twin: the same region, the same free, run to its end in this process.
        Path twin = directory.resolve(name + "-twin.region");
        String[] twinVictim = makeRegion(twin, scenario);
        RegionReport expected;
        try (SharedMemory shm = SharedMemory.open(twin)) {
            shm.free(victim(shm, scenario, twinVictim[0]));
            expected = shm.verify();
        }
        assertTrue(expected.consistent(), expected.toString());

        Path file = directory.resolve(name + ".region");
        String[] victim = makeRegion(file, scenario);
        try (SharedMemory shm = SharedMemory.open(file)) {
            // A view made here before the free, to be refused after it.
            Object stale = victim(shm, scenario, victim[0]);
            killMidRetire(file, scenario, victim[0]);
            checkRepaired(shm, file, scenario, victim, expected, stale);
        }
    }

    static void killMidRetire(Path file, String scenario, String victim) throws InterruptedException {
        try (RawChild freer = RawChild.start(Freer.class,
                List.of("-Dsharedstruct.test.pauseChance=1", "-Dsharedstruct.test.pauseAt=free.retiring"),
                file.toString(), scenario, victim)) {
            String ready = freer.readLine();
            String paused = freer.readLine();
            assertEquals("ready", ready, freer::errors);
            assertEquals("paused:free.retiring", paused, freer::errors);
            freer.kill();
        }
    }

    private static void checkRepaired(SharedMemory shm, Path file, String scenario, String[] victim, RegionReport expected,
            Object stale) {
        RegionReport repaired = shm.verify();   // takes the region lock over: the repair runs first
        assertNull(IntegrityChildren.problemsOf(shm), "after the repair");
        assertEquals(expected.freeBytes(), repaired.freeBytes(), "free bytes, against the twin whose free completed: " + repaired);
        assertEquals(expected.usedBytes(), repaired.usedBytes(), "used bytes, against the twin: " + repaired);
        assertEquals(expected.blocks(), repaired.blocks(), "blocks, against the twin: " + repaired);
        assertEquals(repaired.freeBytes(), shm.freeBytes(), "the header's free bytes and the tiling agree");
        assertEquals(3.5, shm.find("guard", Point.class).orElseThrow().x(), "the guard above kept its data");
        if (scenario.equals("locked")) {
            assertEquals(0, RegionWords.readInt(file, Long.parseLong(victim[1]) + BLK_LOCK_USERS),
                    "the lock counts no user: the object being freed is gone");
        } else {
            SharedLongArray again = shm.rawArray(TypeCode.LONG, LONGS);
            assertEquals(0, again.get(LONGS - 1), "the memory came back zeroed");
            assertTrue(shm.verify().consistent());
        }
        if (scenario.equals("named")) {
            assertTrue(shm.findArray("big", TypeCode.LONG).isEmpty(), "the name is gone");
        } else {
            assertThrows(InvalidRegionException.class, () -> victim(shm, scenario, victim[0]), "the handle is refused");
        }
        if (scenario.equals("locked")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ((Point) stale).x(),
                    "a synchronized view made before the free");
            assertTrue(e.getMessage().contains("was freed"), e.getMessage());
        }
    }
}
