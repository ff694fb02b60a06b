package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedCondition;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input refused with a message that names what was wrong, short enough to read: each case
 * here once gave a bare or buried message (found by attacking the public API).
 */
class InputMessagesTest {
    @TempDir
    Path directory;

    private static void assertSays(Throwable thrown, String... parts) {
        String message = thrown.getMessage();
        for (String part : parts) {
            assertTrue(message != null && message.contains(part), "says \"" + part + "\": " + message);
        }
        assertTrue(message.length() < 600, "short: " + message.length() + " characters");
    }

    /** Freeing a condition of a closed region said something about its lock, not that the region is closed. */
    @Test
    void freeingAConditionOfAClosedRegionSaysTheRegionIsClosed() {
        SharedMemory shm = SharedMemory.create(directory.resolve("closed.region"), 1 << 16);
        Point p = shm.findOrCreate("p", Point.class);
        SharedCondition condition = Structs.lock(p).newCondition();
        shm.close();
        assertSays(assertThrows(IllegalStateException.class, () -> shm.free(condition)), "region", "is closed");
    }

    /** A megabyte-long name was echoed whole in the message. */
    @Test
    void aHugeNameIsShownAbbreviated() {
        try (SharedMemory shm = SharedMemory.create(directory.resolve("names.region"), 1 << 16)) {
            String name = "n".repeat(1 << 20);
            assertSays(assertThrows(IllegalArgumentException.class, () -> shm.findOrCreate(name, Point.class)),
                    "is 1048576 bytes of UTF-8; names hold at most 127", "nnn...");
        }
    }

    /** A bad %-escape threw the decoder's own message, not a malformed handle's. */
    @Test
    void aBadEscapeInAHandleIsAMalformedHandle() {
        try (SharedMemory shm = SharedMemory.create(directory.resolve("handles.region"), 1 << 16)) {
            String handle = Structs.handle(shm.findOrCreate("p", Point.class)).replaceFirst("type=[^&]*", "type=%zz");
            assertSays(assertThrows(IllegalArgumentException.class, () -> shm.attach(handle, Point.class)),
                    "malformed handle, the type \"%zz\" has a bad %-escape");
            assertSays(assertThrows(IllegalArgumentException.class, () -> Handle.parse(handle.replace("%zz", "x%"))),
                    "malformed handle, the type \"x%\" has a bad %-escape");
        }
    }

    /** A size no machine maps failed only at the map, with "Map failed". */
    @Test
    void aRegionLargerThanTheLargestIsRefusedBeforeTheMap() {
        for (long bytes : new long[] {Long.MAX_VALUE, SharedMemory.MAX_SIZE + 1}) {
            assertSays(assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.create(directory.resolve("huge.region"), bytes, RegionOption.SPARSE)),
                    "a region holds at most " + SharedMemory.MAX_SIZE + " bytes (16 TiB), asked for " + bytes);
        }
    }

    /** The public record took nulls, to fail later in attach with a bare NullPointerException. */
    @Test
    void aHandleWithANullPartIsRefusedWhenMade() {
        try (SharedMemory shm = SharedMemory.create(directory.resolve("parts.region"), 1 << 16)) {
            Handle good = Handle.parse(Structs.handle(shm.findOrCreate("p", Point.class)));
            assertSays(assertThrows(NullPointerException.class,
                    () -> new Handle(null, good.regionId(), good.placement(), good.identity())), "a handle's region is null");
            assertSays(assertThrows(NullPointerException.class,
                    () -> new Handle(good.region(), good.regionId(), null, good.identity())), "a handle's placement is null");
            assertSays(assertThrows(NullPointerException.class,
                    () -> new Handle(good.region(), good.regionId(), good.placement(), null)), "a handle's identity is null");
        }
    }
}
