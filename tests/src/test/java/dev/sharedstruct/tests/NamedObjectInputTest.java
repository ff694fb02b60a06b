package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedIntArray;
import dev.sharedstruct.SharedIntValue;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The named-object calls check what they are asked for (a type, a typecode, a length) whether or
 * not the name exists yet: a bad argument must not pass unnoticed because the lookup found
 * something, or found nothing.
 */
class NamedObjectInputTest {

    @Test
    void aLengthBelowOneIsRefusedEvenWhenTheNameExists() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            shm.findOrCreateArray("samples", TypeCode.INT, 5);
            shm.findOrCreateArray("points", Point.class, 5);
            for (int length : new int[] {0, -1, -7, Integer.MIN_VALUE}) {
                assertRefusedNaming(IllegalArgumentException.class, "at least 1 element, asked for " + length,
                        () -> shm.findOrCreateArray("samples", TypeCode.INT, length));
                assertRefusedNaming(IllegalArgumentException.class, "at least 1 element, asked for " + length,
                        () -> shm.findOrCreateArray("points", Point.class, length));
                assertRefusedNaming(IllegalArgumentException.class, "at least 1 element, asked for " + length,
                        () -> shm.findOrCreateRawArray("points", Point.class, length));
            }
            assertEquals(5, shm.findOrCreateArray("samples", TypeCode.INT, 5).length());
        }
    }

    @Test
    void aNullTypeOrTypecodeIsRefusedByNameWhetherOrNotTheNameExists() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            SharedIntArray samples = shm.findOrCreateArray("samples", TypeCode.INT, 5);
            SharedIntValue count = shm.findOrCreateValue("count", TypeCode.INT);
            shm.findOrCreate("point", Point.class);
            for (String name : new String[] {"samples", "count", "point", "missing"}) {
                assertRefusedNaming(NullPointerException.class, "code", () -> shm.findArray(name, (TypeCode<SharedIntArray, ?, ?>) null));
                assertRefusedNaming(NullPointerException.class, "code", () -> shm.findValue(name, (TypeCode<?, ?, SharedIntValue>) null));
                assertRefusedNaming(NullPointerException.class, "code",
                        () -> shm.findOrCreateArray(name, (TypeCode<SharedIntArray, ?, ?>) null, 5));
                assertRefusedNaming(NullPointerException.class, "code",
                        () -> shm.findOrCreateValue(name, (TypeCode<?, ?, SharedIntValue>) null));
                assertRefusedNaming(NullPointerException.class, "type", () -> shm.find(name, null));
                assertRefusedNaming(NullPointerException.class, "type", () -> shm.findArray(name, (Class<Point>) null));
            }
            assertEquals(5, samples.length());
            assertEquals(0, count.get());
        }
    }

    private static void assertRefusedNaming(Class<? extends RuntimeException> type, String text, Executable call) {
        RuntimeException e = assertThrows(type, call);
        assertTrue(String.valueOf(e.getMessage()).contains(text), e.getMessage());
        assertTrue(!String.valueOf(e.getMessage()).startsWith("Cannot invoke"), "a raw JDK message: " + e.getMessage());
    }
}
