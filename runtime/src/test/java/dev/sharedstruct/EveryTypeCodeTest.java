package dev.sharedstruct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of every typed array and value class, for every typecode, in the synchronized, the
 * raw and the shared-lock form. The switches over the sealed hierarchies do not compile when a class
 * is added, and {@link #exercisesEveryPublicMethodOfItsClasses} fails when a method is.
 */
class EveryTypeCodeTest {
    private static final int LENGTH = 4;

    /** The public methods each class declares, all of which the probes below call. */
    private static final Set<String> ARRAY_METHODS = Set.of("get", "set", "getRange", "setRange", "fill", "toArray");
    private static final Map<Class<?>, Set<String>> DECLARED = Map.of(
            SharedString.class, Set.of("value", "raw", "toString"),
            SharedPrimitiveArray.class, Set.of("length", "typeCode", "toString"),
            SharedPrimitiveValue.class, Set.of("typeCode", "toString"));
    private static final Set<String> VALUE_METHODS = Set.of("get", "set", "update");

    private SharedMemory shm;

    @BeforeEach
    void open() {
        shm = SharedMemory.create(1 << 20);
    }

    @AfterEach
    void close() {
        shm.close();
    }

    static Stream<Arguments> codes() {
        return TypeCode.ALL.stream().map(code -> Arguments.of(code.name(), code));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codes")
    void everyArrayMethodInEveryForm(String name, TypeCode<?, ?, ?> code) {
        SharedLock lock = shm.newLock();
        List<SharedPrimitiveArray> forms = List.of(shm.array(code, LENGTH), shm.rawArray(code, LENGTH),
                shm.array(code, LENGTH, lock));
        for (SharedPrimitiveArray array : forms) {
            assertSame(code, array.typeCode(), name);
            assertEquals(LENGTH, array.length(), name);
            exercise(array);
            assertTrue(array.toString().startsWith(array.getClass().getSimpleName() + "("), array.toString());
        }
        assertSame(lock, Structs.lock(forms.get(2)), name + ": the array uses the lock it was given");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codes")
    void everyValueMethodInEveryForm(String name, TypeCode<?, ?, ?> code) {
        SharedLock lock = shm.newLock();
        List<SharedPrimitiveValue> forms = List.of(shm.value(code), shm.rawValue(code), shm.value(code, lock));
        for (SharedPrimitiveValue value : forms) {
            assertSame(code, value.typeCode(), name);
            exercise(value);
            assertTrue(value.toString().startsWith(value.getClass().getSimpleName() + "('" + code.code() + "', "),
                    value.toString());
        }
        assertSame(lock, Structs.lock(forms.get(2)), name + ": the value uses the lock it was given");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codes")
    void exercisesEveryPublicMethodOfItsClasses(String name, TypeCode<?, ?, ?> code) {
        Class<?> arrayClass = shm.rawArray(code, 1).getClass();
        Class<?> valueClass = shm.rawValue(code).getClass();
        if (arrayClass == SharedString.class) {
            assertEquals(DECLARED.get(SharedString.class), publicMethods(SharedString.class), name);
            arrayClass = SharedByteArray.class;
        }
        assertEquals(ARRAY_METHODS, publicMethods(arrayClass), name + ": " + arrayClass.getSimpleName());
        assertEquals(VALUE_METHODS, publicMethods(valueClass), name + ": " + valueClass.getSimpleName());
        assertEquals(DECLARED.get(SharedPrimitiveArray.class), publicMethods(SharedPrimitiveArray.class));
        assertEquals(DECLARED.get(SharedPrimitiveValue.class), publicMethods(SharedPrimitiveValue.class));
    }

    private static Set<String> publicMethods(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers()) && !method.isSynthetic())
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Calls every method of the array's class; elements are 1, 2, 3 (true, false, true) in some form. */
    private static void exercise(SharedPrimitiveArray array) {
        switch (array) {
            case SharedBooleanArray a -> {
                a.set(0, true);
                assertTrue(a.get(0));
                a.setRange(1, new boolean[] {false, true});
                assertArrayEquals(new boolean[] {false, true}, a.getRange(1, 3));
                assertArrayEquals(new boolean[] {true, false, true, false}, a.toArray());
                a.fill(true);
                assertArrayEquals(new boolean[] {true, true, true, true}, a.toArray());
                assertThrows(IndexOutOfBoundsException.class, () -> a.set(LENGTH, false));
            }
            case SharedString s -> {
                s.value("hi");
                assertEquals("hi", s.value());
                s.raw(new byte[] {'a', 'b', 'c'});
                assertArrayEquals(new byte[] {'a', 'b', 'c', 0}, s.raw());
                assertEquals("abc", s.value());
                assertEquals("SharedString(4)[abc]", s.toString());
                assertThrows(IllegalArgumentException.class, () -> s.value("toolong"));
                assertEquals("abc", s.value(), "a refused value leaves the old one whole");
                exerciseBytes(s);
            }
            case SharedByteArray a -> exerciseBytes(a);
            case SharedShortArray a -> {
                a.set(0, (short) 1);
                assertEquals((short) 1, a.get(0));
                a.setRange(1, new short[] {2, 3});
                assertArrayEquals(new short[] {2, 3}, a.getRange(1, 3));
                assertArrayEquals(new short[] {1, 2, 3, 0}, a.toArray());
                a.fill((short) -1);
                assertArrayEquals(new short[] {-1, -1, -1, -1}, a.toArray());
                assertThrows(IndexOutOfBoundsException.class, () -> a.get(-1));
            }
            case SharedCharArray a -> {
                a.set(0, 'x');
                assertEquals('x', a.get(0));
                a.setRange(1, new char[] {'y', 'z'});
                assertArrayEquals(new char[] {'y', 'z'}, a.getRange(1, 3));
                assertArrayEquals(new char[] {'x', 'y', 'z', 0}, a.toArray());
                a.fill('\uffff');
                assertArrayEquals(new char[] {'\uffff', '\uffff', '\uffff', '\uffff'}, a.toArray());
                assertThrows(IndexOutOfBoundsException.class, () -> a.getRange(3, 5));
            }
            case SharedIntArray a -> {
                a.set(0, 1);
                assertEquals(1, a.get(0));
                a.setRange(1, new int[] {2, 3});
                assertArrayEquals(new int[] {2, 3}, a.getRange(1, 3));
                assertArrayEquals(new int[] {1, 2, 3, 0}, a.toArray());
                a.fill(Integer.MIN_VALUE);
                assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE},
                        a.toArray());
                assertThrows(IndexOutOfBoundsException.class, () -> a.setRange(3, new int[] {1, 2}));
                assertEquals(Integer.MIN_VALUE, a.get(3), "a range that does not fit writes nothing");
            }
            case SharedLongArray a -> {
                a.set(0, 1L << 40);
                assertEquals(1L << 40, a.get(0));
                a.setRange(1, new long[] {2, 3});
                assertArrayEquals(new long[] {2, 3}, a.getRange(1, 3));
                assertArrayEquals(new long[] {1L << 40, 2, 3, 0}, a.toArray());
                a.fill(-1L);
                assertArrayEquals(new long[] {-1, -1, -1, -1}, a.toArray());
                assertThrows(IndexOutOfBoundsException.class, () -> a.set(LENGTH, 0));
            }
            case SharedFloatArray a -> {
                a.set(0, 0.5f);
                assertEquals(0.5f, a.get(0));
                a.setRange(1, new float[] {1.5f, 2.5f});
                assertArrayEquals(new float[] {1.5f, 2.5f}, a.getRange(1, 3));
                assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 0}, a.toArray());
                a.fill(Float.NaN);
                assertTrue(Float.isNaN(a.get(2)));
                assertThrows(IndexOutOfBoundsException.class, () -> a.getRange(2, 1));
            }
            case SharedDoubleArray a -> {
                a.set(0, 1.0 / 3.0);
                assertEquals(1.0 / 3.0, a.get(0));
                a.setRange(1, new double[] {2.5, -0.0});
                assertArrayEquals(new double[] {2.5, -0.0}, a.getRange(1, 3));
                assertArrayEquals(new double[] {1.0 / 3.0, 2.5, -0.0, 0}, a.toArray());
                a.fill(Double.MAX_VALUE);
                assertArrayEquals(new double[] {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE},
                        a.toArray());
                assertThrows(IndexOutOfBoundsException.class, () -> a.get(LENGTH));
            }
        }
    }

    private static void exerciseBytes(SharedByteArray a) {
        a.set(0, (byte) 1);
        assertEquals((byte) 1, a.get(0));
        a.setRange(1, new byte[] {2, (byte) 200});
        assertArrayEquals(new byte[] {2, (byte) 200}, a.getRange(1, 3));
        assertEquals(200, Byte.toUnsignedInt(a.get(2)), "the bits of an unsigned byte survive");
        a.fill((byte) 'q');
        assertArrayEquals("qqqq".getBytes(StandardCharsets.US_ASCII), a.toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> a.set(LENGTH, (byte) 0));
    }

    /** Calls every method of the value's class. */
    private static void exercise(SharedPrimitiveValue value) {
        switch (value) {
            case SharedBooleanValue v -> {
                v.set(true);
                assertTrue(v.get());
                assertFalse(v.update(b -> !b));
                assertFalse(v.get());
            }
            case SharedByteValue v -> {
                v.set((byte) 7);
                assertEquals((byte) 7, v.get());
                assertEquals((byte) 49, v.update(b -> b * b));
                assertEquals((byte) 49, v.get());
            }
            case SharedShortValue v -> {
                v.set((short) 300);
                assertEquals((short) 300, v.get());
                assertEquals((short) 301, v.update(s -> s + 1));
                assertEquals((short) 301, v.get());
            }
            case SharedCharValue v -> {
                v.set('a');
                assertEquals('a', v.get());
                assertEquals('b', v.update(c -> c + 1));
                assertEquals('b', v.get());
            }
            case SharedIntValue v -> {
                v.set(7);
                assertEquals(7, v.get());
                assertEquals(49, v.update(i -> i * i));
                assertEquals(49, v.get());
            }
            case SharedLongValue v -> {
                v.set(1L << 40);
                assertEquals(1L << 40, v.get());
                assertEquals((1L << 40) + 1, v.update(l -> l + 1));
                assertEquals((1L << 40) + 1, v.get());
            }
            case SharedFloatValue v -> {
                v.set(0.5f);
                assertEquals(0.5f, v.get());
                assertEquals(0.25f, v.update(f -> f * f));
                assertEquals(0.25f, v.get());
            }
            case SharedDoubleValue v -> {
                v.set(1.0 / 3.0);
                assertEquals(1.0 / 3.0, v.get());
                assertEquals(1.0 / 9.0, v.update(d -> d * d));
                assertEquals(1.0 / 9.0, v.get());
            }
        }
    }
}
