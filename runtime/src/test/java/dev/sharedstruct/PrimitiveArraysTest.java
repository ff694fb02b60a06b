package dev.sharedstruct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Primitive arrays, strings and values: Python's Array('i', ...), Array('c', ...), Value('d', ...). */
class PrimitiveArraysTest {
    private SharedMemory shm;

    @BeforeEach
    void open() {
        shm = SharedMemory.create(1 << 20);
    }

    @AfterEach
    void close() {
        shm.close();
    }

    @Test
    void everyPrimitiveTypeHasAnArrayWithIndexRangeFillAndCopyOut() {
        SharedBooleanArray booleans = shm.array(TypeCode.BOOL, new boolean[] {true, false, true});
        booleans.setRange(1, new boolean[] {true, false});
        assertArrayEquals(new boolean[] {true, true, false}, booleans.toArray());
        booleans.fill(false);
        assertFalse(booleans.get(0));

        SharedByteArray bytes = shm.rawArray(TypeCode.BYTE, 4);
        bytes.set(2, (byte) -5);
        assertArrayEquals(new byte[] {0, -5}, bytes.getRange(1, 3));

        SharedShortArray shorts = shm.array(TypeCode.SHORT, new short[] {1, 2, 3});
        shorts.fill((short) 9);
        assertArrayEquals(new short[] {9, 9, 9}, shorts.toArray());

        SharedCharArray chars = shm.array(TypeCode.CHAR16, new char[] {'a', 'b'});
        chars.set(0, 'z');
        assertEquals("zb", new String(chars.toArray()));

        SharedIntArray ints = shm.rawArray(TypeCode.INT, new int[] {1, 2, 3});
        ints.setRange(1, new int[] {20, 30});
        assertArrayEquals(new int[] {1, 20, 30}, ints.toArray());

        SharedLongArray longs = shm.array(TypeCode.LONGLONG, 2);
        longs.set(1, Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, longs.get(1));

        SharedFloatArray floats = shm.array(TypeCode.FLOAT, new float[] {0.5f});
        assertEquals(0.5f, floats.get(0));

        SharedDoubleArray doubles = shm.array(TypeCode.DOUBLE, 10);
        assertEquals(10, doubles.length());
        doubles.fill(1.0 / 3.0);
        assertArrayEquals(new double[] {1.0 / 3.0, 1.0 / 3.0}, doubles.getRange(8, 10));
        assertTrue(doubles.toString().startsWith("SharedDoubleArray('d', 10)[0.3333333333333333, "), doubles.toString());
    }

    @Test
    void unsignedCodesStoreTheSameBitsThatJavaReadsAsSigned() {
        SharedByteArray ubytes = shm.array(TypeCode.UBYTE, new byte[] {(byte) 200});
        assertEquals(200, Byte.toUnsignedInt(ubytes.get(0)));
        SharedIntArray uints = shm.array(TypeCode.UINT, new int[] {(int) 4_000_000_000L});
        assertEquals(4_000_000_000L, Integer.toUnsignedLong(uints.get(0)));
        assertTrue(TypeCode.UINT.isUnsigned());
        assertFalse(TypeCode.INT.isUnsigned());
    }

    @Test
    void typeCodesHavePythonsSizesOnLinuxX8664() {
        assertEquals(8, TypeCode.LONG.size(), "'l' is C long: 8 bytes on LP64");
        assertEquals(4, TypeCode.WCHAR.size(), "'u' is wchar_t: 4 bytes on Linux");
        assertEquals(1, TypeCode.CHAR.size());
        assertEquals(2, TypeCode.USHORT.size());
        assertSame(TypeCode.DOUBLE, TypeCode.of('d').orElseThrow());
        assertSame(TypeCode.USHORT, TypeCode.of('H').orElseThrow());
        assertTrue(TypeCode.of('x').isEmpty());
        assertEquals(16, TypeCode.ALL.size());
    }

    @Test
    void outOfRangeIndexesAndRangesWriteNothing() {
        SharedIntArray ints = shm.array(TypeCode.INT, new int[] {1, 2, 3});
        byte[] before = ints.segment.toArray(ValueLayout.JAVA_BYTE);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ints.set(3, 9));
        assertEquals("array: index 3 is out of bounds for length 3", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ints.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> ints.setRange(2, new int[] {7, 8}));
        assertThrows(IndexOutOfBoundsException.class, () -> ints.getRange(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> ints.getRange(0, 4));
        assertThrows(NullPointerException.class, () -> ints.setRange(0, null));
        assertArrayEquals(before, ints.segment.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void allocationChecksItsArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shm.array(TypeCode.INT, 0));
        assertEquals("an array of 'i' needs at least 1 element, asked for 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> shm.array(TypeCode.DOUBLE, -3));
        assertThrows(IllegalArgumentException.class, () -> shm.array(TypeCode.INT, new int[0]));
        assertThrows(NullPointerException.class, () -> shm.array(TypeCode.INT, (int[]) null));
        assertThrows(IllegalStateException.class, () -> shm.array(TypeCode.LONG, Integer.MAX_VALUE),
                "a region of 1 MiB cannot hold 16 GiB");
    }

    @Test
    void stringsAreValueUpToTheFirstNulAndRawBytes() {
        SharedString s = shm.array(TypeCode.CHAR, "hello world".getBytes(StandardCharsets.US_ASCII));
        assertEquals(11, s.length());
        assertEquals("hello world", s.value());
        s.value(s.value().toUpperCase());
        assertEquals("HELLO WORLD", s.value());
        s.value("hi");
        assertEquals("hi", s.value());
        assertArrayEquals("hi\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII), s.raw());
        s.raw("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("abc", s.value());
        assertEquals((byte) 'b', s.get(1));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> s.value("twelve bytes"));
        assertTrue(tooLong.getMessage().contains("holds 11 bytes of UTF-8"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.raw(new byte[12]));
        assertEquals("abc", s.value(), "a refused value leaves the old one whole");
    }

    @Test
    void valuesGetSetAndUpdateInOneStep() {
        SharedIntValue counter = shm.value(TypeCode.INT);
        counter.set(7);
        assertEquals(49, counter.update(v -> v * v));
        assertEquals(49, counter.get());
        SharedDoubleValue third = shm.rawValue(TypeCode.DOUBLE);
        third.set(1.0 / 3.0);
        third.update(v -> v * v);
        assertEquals(0.1111111111111111, third.get());
        SharedBooleanValue flag = shm.value(TypeCode.BOOL, shm.newLock());
        assertTrue(flag.update(v -> !v));
        SharedByteValue small = shm.value(TypeCode.BYTE);
        assertEquals((byte) -128, small.update(v -> v + 128), "update narrows to the value's type");
        assertEquals("SharedIntValue('i', 49)", counter.toString());
    }

    @Test
    void lockedUpdatesFromThreadsLoseNothing() throws InterruptedException {
        SharedLongValue total = shm.value(TypeCode.LONG);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100_000; i++) {
                    total.update(v -> v + 1);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(400_000, total.get());
    }

    @Test
    void concurrentRangeWritesAndReadsNeverSeeAHalfWrittenRange() throws InterruptedException {
        SharedLongArray array = shm.array(TypeCode.LONG, 512);
        AtomicBoolean stop = new AtomicBoolean();
        List<String> torn = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 1; w <= 2; w++) {
            long mark = w;
            writers.add(Thread.ofPlatform().start(() -> {
                long[] values = new long[512];
                for (int i = 0; i < 20_000; i++) {
                    java.util.Arrays.fill(values, mark * 1_000_000 + i);
                    array.setRange(0, values);
                }
            }));
        }
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                long[] seen = array.getRange(0, 512);
                for (long value : seen) {
                    if (value != seen[0]) {
                        synchronized (torn) {
                            torn.add(seen[0] + " and " + value);
                        }
                        return;
                    }
                }
            }
        });
        for (Thread writer : writers) {
            writer.join();
        }
        stop.set(true);
        reader.join();
        assertEquals(List.of(), torn);
    }

    @Test
    void structsOperationsCoverArraysStringsAndValues() {
        SharedIntArray ints = shm.array(TypeCode.INT, new int[] {1, 2});
        SharedIntArray raw = Structs.raw(ints);
        assertFalse(Structs.isSynchronized(raw));
        raw.set(0, 5);
        assertEquals(5, ints.get(0));
        SharedIntArray copy = Structs.copy(ints);
        copy.set(0, 6);
        assertEquals(5, ints.get(0));
        assertTrue(Structs.isSynchronized(copy));
        assertThrows(IllegalArgumentException.class, () -> Structs.synchronize(ints));
        SharedLock lock = shm.newLock();
        assertSame(lock, Structs.lock(Structs.synchronize(raw, lock)));

        SharedString s = shm.rawArray(TypeCode.CHAR, "abc".getBytes(StandardCharsets.US_ASCII));
        SharedString locked = Structs.synchronize(s);
        assertEquals("abc", Structs.copy(locked).value());
        SharedIntValue value = shm.value(TypeCode.INT);
        value.set(3);
        assertEquals(3, Structs.copy(value).get());
    }
}
