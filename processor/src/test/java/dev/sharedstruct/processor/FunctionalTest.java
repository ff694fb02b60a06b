package dev.sharedstruct.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generated code compiled, loaded and run: values, toString, equals, default methods, layout. */
class FunctionalTest {
    private SharedMemory shm;

    @BeforeEach
    void open() {
        shm = SharedMemory.create(1 << 16);
    }

    @AfterEach
    void close() {
        shm.close();
    }

    private static Class<?> compileAndLoad(String name, String... body) {
        Compilation compilation = Sources.compile(Sources.struct(name, body));
        assertThat(compilation).succeededWithoutWarnings();
        return new CompiledClasses(compilation).load("test." + name);
    }

    private static Object call(Object target, String method, Object... arguments) throws ReflectiveOperationException {
        for (Method m : target.getClass().getInterfaces()[0].getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == arguments.length) {
                return m.invoke(target, arguments);
            }
        }
        throw new NoSuchMethodException(method);
    }

    @Test
    void everyPrimitiveRoundTripsInBothViews() throws Exception {
        Class<?> type = compileAndLoad("AllKinds",
                "@SharedStruct",
                "public interface AllKinds {",
                "    boolean isFlag(); void setFlag(boolean value);",
                "    byte b(); void b(byte value);",
                "    short s(); void s(short value);",
                "    char c(); void c(char value);",
                "    int getI(); void setI(int value);",
                "    long l(); void l(long value);",
                "    float f(); void f(float value);",
                "    double d(); void d(double value);",
                "}");
        for (Object struct : new Object[] {shm.value(type), shm.rawValue(type)}) {
            call(struct, "setFlag", true);
            call(struct, "b", (byte) -7);
            call(struct, "s", (short) -30000);
            call(struct, "c", '\u20ac');
            call(struct, "setI", Integer.MIN_VALUE);
            call(struct, "l", Long.MAX_VALUE);
            call(struct, "f", 1.25f);
            call(struct, "d", -0.1);
            assertEquals(true, call(struct, "isFlag"));
            assertEquals((byte) -7, call(struct, "b"));
            assertEquals((short) -30000, call(struct, "s"));
            assertEquals('\u20ac', call(struct, "c"));
            assertEquals(Integer.MIN_VALUE, call(struct, "getI"));
            assertEquals(Long.MAX_VALUE, call(struct, "l"));
            assertEquals(1.25f, call(struct, "f"));
            assertEquals(-0.1, call(struct, "d"));
        }
    }

    @Test
    void freshStructsAreZeroed() throws Exception {
        Class<?> type = compileAndLoad("Counter", "@SharedStruct", "public interface Counter {",
                "    long count();", "    double mean();", "}");
        Object counter = shm.value(type);
        assertEquals(0L, call(counter, "count"));
        assertEquals(0.0, call(counter, "mean"));
    }

    @Test
    void toStringShowsFieldNamesAndValues() throws Exception {
        Class<?> type = compileAndLoad("Point", "@SharedStruct", "public interface Point {",
                "    double x(); void x(double value);", "    int y(); void y(int value);", "}");
        Object point = shm.value(type);
        call(point, "x", 1.5);
        call(point, "y", -3);
        assertEquals("Point{x=1.5, y=-3}", point.toString());
        assertEquals("Point{x=1.5, y=-3}", Structs.raw(point).toString());
    }

    @Test
    void equalsAndHashCodeCompareContentAcrossViews() throws Exception {
        Class<?> type = compileAndLoad("Point", "@SharedStruct", "public interface Point {",
                "    double x(); void x(double value);", "    int y(); void y(int value);", "}");
        Object a = shm.value(type);
        Object b = shm.rawValue(type);
        call(a, "x", Double.NaN);
        call(b, "x", Double.NaN);
        call(a, "y", 4);
        call(b, "y", 4);
        assertEquals(a, b);
        assertEquals(b, a);
        assertEquals(a.hashCode(), b.hashCode());
        call(b, "y", 5);
        assertNotEquals(a, b);
        assertNotEquals(a, "Point{x=NaN, y=4}");
        assertNotEquals(a, null);
    }

    @Test
    void structsOfDifferentInterfacesAreNeverEqual() throws Exception {
        Compilation compilation = Sources.compile(
                Sources.struct("A", "@SharedStruct", "public interface A { int x(); }"),
                Sources.struct("B", "@SharedStruct", "public interface B { int x(); }"));
        assertThat(compilation).succeededWithoutWarnings();
        CompiledClasses classes = new CompiledClasses(compilation);
        assertNotEquals(shm.value(classes.load("test.A")), shm.value(classes.load("test.B")));
    }

    @Test
    void defaultAndStaticMethodsKeepWorking() throws Exception {
        Class<?> type = compileAndLoad("Rect", "@SharedStruct", "public interface Rect {",
                "    int width(); void width(int value);", "    int height(); void height(int value);",
                "    default int area() { return width() * height(); }",
                "    static int unit() { return 1; }", "}");
        Object rect = shm.value(type);
        call(rect, "width", 6);
        call(rect, "height", 7);
        assertEquals(42, call(rect, "area"));
        assertEquals(1, type.getMethod("unit").invoke(null));
    }

    @Test
    void readOnlyFieldsHaveOnlyAGetter() throws Exception {
        Class<?> type = compileAndLoad("Version", "@SharedStruct", "public interface Version {", "    int major();", "}");
        assertEquals(0, call(shm.value(type), "major"));
        assertEquals(1, type.getMethods().length);
    }

    @Test
    void layoutHasPaddingAndMembersNamedAfterFields() {
        Class<?> type = compileAndLoad("Mixed", "@SharedStruct", "public interface Mixed {",
                "    byte tag();", "    long stamp();", "    short code();", "}");
        StructLayout layout = Structs.layout(type);
        assertEquals(24, layout.byteSize());
        assertEquals(8, layout.byteAlignment());
        assertEquals(0, layout.byteOffset(MemoryLayout.PathElement.groupElement("tag")));
        assertEquals(8, layout.byteOffset(MemoryLayout.PathElement.groupElement("stamp")));
        assertEquals(16, layout.byteOffset(MemoryLayout.PathElement.groupElement("code")));
    }

    @Test
    void anInterfaceCompiledWithoutTheProcessorGetsAnErrorThatNamesTheProcessorPath() {
        Compilation compilation = Compiler.javac().withOptions("-proc:none")
                .compile(Sources.struct("Lonely", "@SharedStruct", "public interface Lonely { int x(); }"));
        assertThat(compilation).succeeded();
        Class<?> type = new CompiledClasses(compilation).load("test.Lonely");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> shm.value(type));
        assertTrue(e.getMessage().contains("no generated implementation test.SharedStruct_Lonely for test.Lonely"), e.getMessage());
        assertTrue(e.getMessage().contains("annotation processor path"), e.getMessage());
    }

    @Test
    void nestedInterfacesGetTheirEnclosingNamesInTheGeneratedName() {
        Compilation compilation = Sources.compile(Sources.struct("Outer", "public class Outer {",
                "    @SharedStruct", "    public interface Inner { int x(); void x(int value); }", "}"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.SharedStruct_Outer_Inner");
        Class<?> type = new CompiledClasses(compilation).load("test.Outer$Inner");
        assertEquals(4, Structs.layout(type).byteSize());
    }

    @Test
    void synchronizedAccessorsWaitForTheLockAndRawOnesDoNot() throws Exception {
        Class<?> type = compileAndLoad("Counter", "@SharedStruct", "public interface Counter {",
                "    long count(); void count(long value);", "}");
        Object counter = shm.value(type);
        SharedLock lock = Structs.lock(counter);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            try (var _ = lock.acquire()) {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        held.await();
        call(Structs.raw(counter), "count", 7L);
        assertEquals(7L, call(Structs.raw(counter), "count"));

        CompletableFuture<Object> lockedWrite = new CompletableFuture<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                call(counter, "count", 8L);
                lockedWrite.complete(null);
            } catch (ReflectiveOperationException e) {
                lockedWrite.completeExceptionally(e);
            }
        });
        while (lock.waiters() == 0) {
            Thread.onSpinWait();
        }
        assertFalse(lockedWrite.isDone(), "a synchronized setter ran while another thread held the lock");
        assertEquals(7L, call(Structs.raw(counter), "count"));
        release.countDown();
        holder.join();
        lockedWrite.get(30, TimeUnit.SECONDS);
        assertEquals(8L, call(counter, "count"));
    }
}
