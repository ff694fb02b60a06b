package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.annotation.SharedStruct;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Field names the Python views use themselves: the synchronized view's own attributes
 * ({@code _raw}, {@code get_lock}, ...), the attributes ctypes gives a Structure ({@code _fields_},
 * {@code from_buffer}), the names of the padding the dynamic ctypes class adds ({@code _pad_end}),
 * and names a generated module renames ({@code from}, {@code LAYOUT}). Each field stays reachable
 * and reads its own bytes, and the view keeps its lock and its raw object.
 */
class PythonViewNamesTest {

    /** Every field a name the Python view or ctypes uses. */
    @SharedStruct
    public interface ViewNames {
        long count();
        void count(long value);
        long _raw();
        void _raw(long value);
        int get_lock();
        void get_lock(int value);
        int get_obj();
        void get_obj(int value);
        int _lock();
        void _lock(int value);
        int _fields_();
        void _fields_(int value);
        int from_buffer();
        void from_buffer(int value);
        byte odd();
        void odd(byte value);
        long _pad_end();
        void _pad_end(long value);
        byte last();
        void last(byte value);
    }

    @Test
    void fieldsNamedLikeTheViewsOwnAttributesStayReachableAndTheViewKeepsItsLock() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            ViewNames v = shm.findOrCreate("names", ViewNames.class);
            v.count(1);
            v._raw(2);
            v.get_lock(3);
            v.get_obj(4);
            v._lock(5);
            v._fields_(6);
            v.from_buffer(7);
            v.odd((byte) 8);
            v._pad_end(9);
            v.last((byte) 10);
            String out = python("""
                    from sharedstruct import Region
                    with Region.open(sys.argv[1]) as region:
                        v = region.find("names")
                        with v.get_lock() as lock:
                            print(lock.is_owned(), v.get_obj() is v._raw)
                            print(v.count, v._raw_, v.get_lock_, v.get_obj_, v._lock_, v._fields_, v.from_buffer, v.odd,
                                  v._pad_end, v.last)
                            v._raw_ = 20
                            v._pad_end = 90
                            v.get_lock_ = 30
                            raw = v.get_obj()
                            print(raw.count, raw._raw, raw.get_lock, raw._fields__, raw.from_buffer_, raw._pad_end)
                        print(v.get_lock().is_owned())
                    """, shm.path().toString());
            assertEquals("True True\n1 2 3 4 5 6 7 8 9 10\n1 20 30 6 7 90\nFalse", out);
            assertEquals(20, v._raw());
            assertEquals(90, v._pad_end(), "the field, not the padding after it");
            assertEquals(30, v.get_lock());
            assertEquals(10, v.last());
        }
    }

    /** With a generated class, the view reads each field through the name the class gives it (LAYOUT_, from_, from__). */
    @Test
    void aViewOverAGeneratedClassReadsEveryRenamedField() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            EmitStructs.Awkward a = shm.findOrCreate("awkward", EmitStructs.Awkward.class);
            a.from(1);
            a.from_(2);
            a.LAYOUT(5);
            a.température(7.5);
            String module = Peers.repository().resolve("tests/target/test-classes/META-INF/sharedstruct").toString();
            String out = python("""
                    sys.path.insert(0, sys.argv[2])
                    from sharedstruct import Region
                    from dev_sharedstruct_tests_EmitStructs_Awkward import Awkward
                    with Region.open(sys.argv[1]) as region:
                        for cls in (None, Awkward):
                            v = region.find("awkward", cls)
                            print(getattr(v, "from"), v.from_, v.LAYOUT, v.température)
                    """, shm.path().toString(), module);
            assertEquals("1 2 5 7.5\n1 2 5 7.5", out);
        }
    }

    private static String python(String script, String... args) {
        return Peers.run(concat(List.of("python3", "-c",
                "import sys; sys.path.insert(0, '" + Peers.repository().resolve("python") + "')\n" + script), args)).strip();
    }

    private static List<String> concat(List<String> a, String... b) {
        return java.util.stream.Stream.concat(a.stream(), java.util.stream.Stream.of(b)).toList();
    }
}
