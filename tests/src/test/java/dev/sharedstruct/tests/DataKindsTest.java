package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.DataKinds.Color;
import dev.sharedstruct.tests.DataKinds.Sensor;
import dev.sharedstruct.tests.DataKinds.Vec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every accessor kind of every field kind, in the synchronized and the raw form. */
class DataKindsTest extends RegionTest {

    static Stream<Arguments> forms() {
        Function<SharedMemory, Sensor> synchronizedForm = shm -> shm.value(Sensor.class);
        Function<SharedMemory, Sensor> rawForm = shm -> shm.rawValue(Sensor.class);
        return Stream.of(Arguments.of("synchronized", synchronizedForm), Arguments.of("raw", rawForm));
    }

    private static byte[] bytesOf(Object struct) {
        return Structs.segment(struct).toArray(ValueLayout.JAVA_BYTE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void primitiveArraysByIndexAndWhole(String form, Function<SharedMemory, Sensor> make) {
        Sensor s = make.apply(shm);
        assertArrayEquals(new int[4], s.samples());
        s.samples(new int[] {1, -2, 3, Integer.MAX_VALUE});
        assertEquals(-2, s.samples(1));
        s.samples(3, 40);
        assertArrayEquals(new int[] {1, -2, 3, 40}, s.samples());
        int[] copy = s.samples();
        copy[0] = 99;
        assertEquals(1, s.samples(0), "the whole-array getter returns a copy");

        s.flags(new boolean[] {true, false, true});
        s.flags(1, true);
        assertArrayEquals(new boolean[] {true, true, true}, s.flags());
        assertTrue(s.flags(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void outOfRangeIndexesAndWrongLengthsNameTheFieldAndWriteNothing(String form, Function<SharedMemory, Sensor> make) {
        Sensor s = make.apply(shm);
        s.samples(new int[] {1, 2, 3, 4});
        byte[] before = bytesOf(s);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> s.samples(4, 7));
        assertEquals("samples: index 4 is out of bounds for length 4", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> s.samples(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.corners(3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.corners(-1, shm.rawValue(Vec.class)));
        IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class, () -> s.samples(new int[] {9, 9, 9}));
        assertEquals("samples holds exactly 4 elements, got an array of 3", wrongLength.getMessage());
        assertThrows(NullPointerException.class, () -> s.samples((int[]) null));
        assertThrows(IllegalArgumentException.class, () -> s.corners(new Vec[2]));
        assertArrayEquals(before, bytesOf(s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void stringsAreUtf8NulPaddedAndReadUpToTheFirstNul(String form, Function<SharedMemory, Sensor> make) {
        Sensor s = make.apply(shm);
        assertEquals("", s.name());
        s.name("héllo");
        assertEquals("héllo", s.name());
        assertArrayEquals(new byte[] {'h', (byte) 0xC3, (byte) 0xA9, 'l', 'l', 'o', 0, 0}, s.rawName());
        s.name("abcdefgh");
        assertEquals("abcdefgh", s.name(), "exactly the field's size needs no terminator");
        s.name("ab");
        assertArrayEquals(new byte[] {'a', 'b', 0, 0, 0, 0, 0, 0}, s.rawName(), "a shorter value clears the rest");

        s.rawName("xyz".getBytes(StandardCharsets.US_ASCII));
        assertEquals("xyz", s.name());
        s.rawName(new byte[] {'p', 'q', 0, 'r', 's', 't', 'u', 'v'});
        assertEquals("pq", s.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void stringsThatDoNotFitAreRefusedAndTheOldValueStaysWhole(String form, Function<SharedMemory, Sensor> make) {
        Sensor s = make.apply(shm);
        s.name("keep");
        byte[] before = bytesOf(s);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> s.name("123456789"));
        assertEquals("name holds 8 bytes of UTF-8, but \"123456789\" needs 9; the field keeps its old value",
                tooLong.getMessage());
        // Seven ASCII letters and a two-byte character: 9 bytes, which would be cut inside the character.
        assertThrows(IllegalArgumentException.class, () -> s.name("abcdefgé"));
        assertThrows(IllegalArgumentException.class, () -> s.name("a\0b"));
        assertThrows(IllegalArgumentException.class, () -> s.name("\uD800"));
        assertThrows(NullPointerException.class, () -> s.name(null));
        assertThrows(IllegalArgumentException.class, () -> s.rawName(new byte[9]));
        assertArrayEquals(before, bytesOf(s));
        assertEquals("keep", s.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void nestedStructsAreViewsThatShareTheLockAndSettersCopyIn(String form, Function<SharedMemory, Sensor> make) {
        Sensor s = make.apply(shm);
        Vec position = s.position();
        position.x(1.5);
        assertEquals(1.5, s.position().x());
        assertEquals(Structs.isSynchronized(s), Structs.isSynchronized(position));
        if (Structs.isSynchronized(s)) {
            assertSame(Structs.lock(s), Structs.lock(position));
            assertSame(Structs.lock(s), Structs.lock(s.corners(2)));
        }

        Vec source = shm.value(Vec.class);
        source.x(7);
        source.y(8);
        s.position(source);
        assertEquals(source, s.position());
        source.x(0);
        assertEquals(7, s.position().x(), "the setter copied the content; the field is not an alias");

        s.corners(1, source);
        assertEquals(source, s.corners(1));
        Vec[] corners = s.corners();
        assertEquals(3, corners.length);
        corners[2].y(-1);
        assertEquals(-1, s.corners(2).y());
        s.corners(new Vec[] {source, source, source});
        for (Vec corner : s.corners()) {
            assertEquals(source, corner);
        }
        assertThrows(NullPointerException.class, () -> s.position(null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void enumsAreStoredAsOrdinalsAndBadOrdinalsAreReported(String form, Function<SharedMemory, Sensor> make) {
        Sensor s = make.apply(shm);
        assertEquals(Color.RED, s.color());
        s.color(Color.BLUE);
        assertEquals(Color.BLUE, s.color());
        long offset = Structs.layout(Sensor.class).byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("color"));
        assertEquals(2, Structs.segment(s).get(ValueLayout.JAVA_INT, offset));
        Structs.segment(s).set(ValueLayout.JAVA_INT, offset, 7);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::color);
        assertTrue(e.getMessage().startsWith("color holds 7, which is no ordinal of Color (0 to 2)"), e.getMessage());
        assertTrue(s.toString().contains("color=<invalid ordinal 7>"), s.toString());
        assertThrows(NullPointerException.class, () -> s.color(null));
        assertEquals(7, Structs.segment(s).get(ValueLayout.JAVA_INT, offset), "a refused null wrote nothing");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void booleansAndCharsRoundTrip(String form, Function<SharedMemory, Sensor> make) {
        Sensor s = make.apply(shm);
        s.setActive(true);
        s.grade('\uFFFF');
        assertTrue(s.isActive());
        assertEquals('\uFFFF', s.grade());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void toStringAndEqualsCoverEveryKind(String form, Function<SharedMemory, Sensor> make) {
        Sensor a = make.apply(shm);
        a.samples(new int[] {1, 2, 3, 4});
        a.name("n");
        a.position().x(2);
        a.color(Color.GREEN);
        a.setActive(true);
        a.grade('B');
        assertEquals("Sensor{samples=[1, 2, 3, 4], name=n, position=Vec{x=2.0, y=0.0}, corners=[Vec{x=0.0, y=0.0},"
                + " Vec{x=0.0, y=0.0}, Vec{x=0.0, y=0.0}], color=GREEN, active=true, grade=B, flags=[false, false, false]}",
                a.toString());
        Sensor b = Structs.copy(a);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        b.corners(2).y(1);
        assertNotEquals(a, b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void structsReadTheBytesAsCWouldLayThemOut(String form, Function<SharedMemory, Sensor> make) {
        Sensor s = make.apply(shm);
        s.samples(2, 0x01020304);
        MemorySegment memory = Structs.segment(s);
        assertEquals(0x01020304, memory.get(ValueLayout.JAVA_INT, 8));
        s.name("AB");
        assertEquals('A', memory.get(ValueLayout.JAVA_BYTE, 16));
    }
}
