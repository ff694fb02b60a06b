package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedDoubleArray;
import dev.sharedstruct.SharedIntValue;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.SharedString;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.DataKinds.Color;
import dev.sharedstruct.tests.DataKinds.Sensor;
import dev.sharedstruct.tests.DataKinds.Vec;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Python package finds Java's objects by name, reads and writes every field kind, and refuses what it must. */
class PythonPeerTest {

    private static String python(String script, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c",
                "import sys; sys.path.insert(0, " + quoted(Peers.repository().resolve("python").toString()) + ")\n" + script));
        command.addAll(List.of(args));
        return Peers.run(command).strip();
    }

    private static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Test
    void pythonFindsAStructByNameAndUsesEveryFieldKind() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Sensor sensor = shm.findOrCreate("sensor", Sensor.class);
            sensor.samples(new int[] {1, 2, 3, 4});
            sensor.name("héllo");
            sensor.position().x(1.5);
            sensor.corners(2).y(-7.25);
            sensor.color(Color.BLUE);
            sensor.setActive(true);
            sensor.grade('B');
            sensor.flags(1, true);
            String out = python("""
                    from sharedstruct import Region
                    with Region.open(sys.argv[1]) as region:
                        s = region.find("sensor")
                        print(s.samples[:], s.samples[1:3], s.name, s.name.raw, s.position.x, s.corners[2].y,
                              s.color, s.active, chr(s.grade), s.flags[:], len(s.corners))
                        with s.get_lock():
                            s.samples[0:2] = [10, 20]
                            s.name = "py"
                            s.position.y = 3.5
                            s.corners[0].x = 9.0
                            s.active = False
                            s.grade = ord("C")
                        print(s.get_lock().is_owned(), type(s.get_obj()).__name__)
                    """, shm.path().toString());
            assertEquals("[1, 2, 3, 4] [2, 3] héllo b'h\\xc3\\xa9llo\\x00\\x00' 1.5 -7.25 2 True B [False, True, False] 3\n"
                    + "False Sensor", out);
            assertArrayEquals(new int[] {10, 20, 3, 4}, sensor.samples());
            assertEquals("py", sensor.name());
            assertEquals(3.5, sensor.position().y());
            assertEquals(9.0, sensor.corners(0).x());
            assertEquals(false, sensor.isActive());
            assertEquals('C', sensor.grade());
        }
    }

    @Test
    void pythonFindsValuesAndPrimitiveArraysByName() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            SharedIntValue n = shm.findOrCreateValue("n", TypeCode.INT);
            n.set(7);
            SharedDoubleArray d = shm.findOrCreateArray("d", TypeCode.DOUBLE, 4);
            d.set(3, 2.5);
            SharedString text = shm.findOrCreateArray("text", TypeCode.CHAR, 8);
            text.value("abc");
            String out = python("""
                    from sharedstruct import Region
                    with Region.open(sys.argv[1]) as region:
                        n, d, t = region.find("n"), region.find("d"), region.find("text")
                        print(n.value, d[:], len(d), t.value, t.raw)
                        with n.get_lock():
                            n.value += 1
                        d[0:2] = [1.0, 2.0]
                        t.value = "xyz"
                    """, shm.path().toString());
            assertEquals("7 [0.0, 0.0, 0.0, 2.5] 4 abc b'abc\\x00\\x00\\x00\\x00\\x00'", out);
            assertEquals(8, n.get());
            assertEquals(2.0, d.get(1));
            assertEquals("xyz", text.value());
        }
    }

    @Test
    void pythonAndCRefuseANameWhoseLayoutDiffersNamingTheFields() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            shm.findOrCreate("point", Point.class);
            String out = python("""
                    import ctypes
                    from sharedstruct import Region, LayoutMismatchError
                    class Point(ctypes.Structure):
                        _fields_ = [("x", ctypes.c_int32), ("y", ctypes.c_double)]
                        FINGERPRINT = 1
                        LAYOUT = "x:int@0;y:double@8;size=16"
                    with Region.open(sys.argv[1]) as region:
                        try:
                            region.find("point", Point)
                        except LayoutMismatchError as e:
                            print(e)
                    """, shm.path().toString());
            assertTrue(out.contains("field x is double at offset 0 in the region but int at offset 0 in yours")
                    && !out.contains("field y"), out);
            Process c = Peers.c("check", shm.path().toString(), "point", "1", "x:int@0;y:double@8;size=16");
            String said = Peers.finish(c, 60);
            assertEquals(1, c.exitValue(), said);
            assertTrue(said.contains("has another layout: field x is double@0 in the region but int@0 in yours")
                    && !said.contains("field y"), said);
        }
    }

    @Test
    void pythonAndCRefuseARegionOfAnotherFormatVersion() throws Exception {
        Path copy = Files.createTempFile("sharedstruct-v5", ".region");
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            shm.findOrCreate("point", Point.class);
            Files.copy(shm.path(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 5), 8);
        }
        try {
            String out = python("""
                    from sharedstruct import Region, InvalidRegionError
                    try:
                        Region.open(sys.argv[1])
                    except InvalidRegionError as e:
                        print(e)
                    """, copy.toString());
            assertEquals(copy + " is a region of format version 5, but this peer reads version 4", out);
            Process c = Peers.c("check", copy.toString(), "point");
            String said = Peers.finish(c, 60) + PeersTest.errors(c);
            assertEquals(1, c.exitValue());
            assertEquals(copy + " is a region of format version 5, but this peer reads version 4", said.strip());
        } finally {
            Files.delete(copy);
        }
    }

    @Test
    void pythonThreadsExcludeEachOtherAndEachReenters() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Samples.Counter counter = shm.findOrCreate("counter", Samples.Counter.class);
            for (String implementation : List.of("1", "0")) {
                counter.count(0);
                String out = Peers.run(List.of("env", "SHAREDSTRUCT_NATIVE=" + implementation, "python3", "-c", """
                        import sys, threading
                        sys.path.insert(0, sys.argv[1])
                        import sharedstruct
                        from sharedstruct import Region
                        with Region.open(sys.argv[2]) as region:
                            c = region.find("counter")
                            lock = c.get_lock()
                            def work():
                                for _ in range(20000):
                                    with lock:
                                        with lock:
                                            c.count = c.count + 1
                                assert not lock.is_owned()
                            threads = [threading.Thread(target=work) for _ in range(3)]
                            for t in threads: t.start()
                            for t in threads: t.join()
                            print(sharedstruct.LOCK_IMPLEMENTATION, c.count)
                        """, Peers.repository().resolve("python").toString(), shm.path().toString())).strip();
                assertEquals((implementation.equals("1") ? "native" : "ctypes") + " 60000", out);
            }
        }
    }

    /**
     * Objects and locks found in a region outlive the region's with-block: close() leaves the
     * mapping to them and it goes with the last of them. The views read through ctypes
     * from_address, which holds no export of the mapping, so close() unmapped it and the next
     * access crashed the interpreter (SIGSEGV), with either lock.
     */
    @Test
    void objectsFoundInARegionOutliveItsClose() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Samples.Counter counter = shm.findOrCreate("counter", Samples.Counter.class);
            SharedIntValue n = shm.findOrCreateValue("n", TypeCode.INT);
            for (String implementation : List.of("1", "0")) {
                counter.count(41);
                n.set(7);
                String out = Peers.run(List.of("env", "SHAREDSTRUCT_NATIVE=" + implementation, "python3", "-c", """
                        import gc, sys
                        sys.path.insert(0, sys.argv[1])
                        from sharedstruct import Region
                        with Region.open(sys.argv[2]) as region:
                            c = region.find("counter")
                            lock = c.get_lock()
                            n = region.find("n").get_obj()
                        with lock:
                            c.count += 1
                        n.value += 1
                        print(c.count, n.value, lock.acquire(timeout=0), region.find.__name__)
                        lock.release()
                        del c, lock, n
                        gc.collect()
                        print(open("/proc/self/maps").read().count(sys.argv[2]))
                        for use in (lambda: region.find("counter"), lambda: region.info("counter"), region.names):
                            try:
                                use()
                            except ValueError as e:
                                print(e)
                        """, Peers.repository().resolve("python").toString(), shm.path().toString())).strip();
                String closed = "region " + shm.path() + " is closed";
                assertEquals("42 8 True find\n0\n" + closed + "\n" + closed + "\n" + closed, out, "with the " + implementation + " lock");
                assertEquals(42, counter.count());
                assertEquals(8, n.get());
            }
        }
    }

    @Test
    void pythonSeesTheLockJavaHolds() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Point point = shm.findOrCreate("point", Point.class);
            try (var _ = Structs.lock(point).acquire()) {
                String out = python("""
                        from sharedstruct import Region
                        with Region.open(sys.argv[1]) as region:
                            lock = region.find("point").get_lock()
                            print(lock.acquire(timeout=0.2), lock.acquire(blocking=False))
                        """, shm.path().toString());
                assertEquals("False False", out, "a live Java holder keeps Python out");
            }
            String out = python("""
                    from sharedstruct import Region
                    with Region.open(sys.argv[1]) as region:
                        p = region.find("point")
                        lock = p.get_lock()
                        print(lock.acquire(timeout=1), lock.acquire(), lock.previous_owner_died)
                        p.x = 2.5
                        lock.release(); lock.release()
                        try:
                            lock.release()
                        except RuntimeError as e:
                            print("refused:", str(e).split(",")[1].strip())
                    """, shm.path().toString());
            assertEquals("True True False\nrefused: but the lock is held by nobody", out);
            assertEquals(2.5, point.x());
            assertTrue(Structs.lock(point).tryLock(), "Python released both holds");
            Structs.lock(point).unlock();
        }
    }
}
