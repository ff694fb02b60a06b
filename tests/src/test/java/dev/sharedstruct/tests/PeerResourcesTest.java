package dev.sharedstruct.tests;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.DataKinds.Sensor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C header and Python module the processor writes per @SharedStruct under
 * META-INF/sharedstruct/: every header compiles with gcc -Wall -Wextra -Werror (alone and all
 * together), every module imports in python3, and their offsets are the Java LAYOUT's.
 */
class PeerResourcesTest {

    private static Path resources() throws URISyntaxException {
        return Path.of(PeerResourcesTest.class.getResource("/META-INF/sharedstruct/").toURI());
    }

    private static List<Path> files(String extension) throws Exception {
        try (Stream<Path> files = Files.list(resources())) {
            List<Path> found = files.filter(f -> f.toString().endsWith(extension)).sorted().toList();
            assertFalse(found.isEmpty(), "no generated " + extension + " files");
            return found;
        }
    }

    @Test
    void everyGeneratedHeaderCompilesAloneAndWithTheOthers(@TempDir Path dir) throws Exception {
        List<Path> headers = files(".h");
        StringBuilder all = new StringBuilder();
        for (Path header : headers) {
            all.append("#include \"").append(header).append("\"\n");
            Path one = dir.resolve(header.getFileName() + ".c");
            Files.writeString(one, "#include \"" + header + "\"\nint main(void) { return 0; }\n");
            Peers.run(List.of("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", one.toString()));
        }
        Path together = dir.resolve("all.c");
        Files.writeString(together, all + "int main(void) { return 0; }\n");
        Peers.run(List.of("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", together.toString()));
    }

    @Test
    void aHeaderWhoseOffsetsAreWrongDoesNotCompile(@TempDir Path dir) throws Exception {
        Path header = resources().resolve("dev_sharedstruct_tests_DataKinds_Sensor.h");
        String broken = Files.readString(header).replace("int32_t color;", "int64_t color;");
        Path c = dir.resolve("broken.c");
        Files.writeString(c, broken + "\nint main(void) { return 0; }\n");
        Process gcc = Peers.start(List.of("gcc", "-std=c11", "-fsyntax-only", c.toString()));
        Peers.finish(gcc, 60);
        String errors = PeersTest.errors(gcc);
        assertTrue(gcc.exitValue() != 0 && errors.contains("Sensor.active is at offset 92 in the stored layout"), errors);
    }

    @Test
    void everyGeneratedModuleImportsWithTheJavaOffsets() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Path module : files(".py")) {
            String stem = module.getFileName().toString().replace(".py", "");
            String out = Peers.run(List.of("python3", "-c", """
                    import ctypes, importlib, sys
                    sys.path.insert(0, sys.argv[1])
                    m = importlib.import_module(sys.argv[2])
                    for name, cls in vars(m).items():
                        if isinstance(cls, type) and issubclass(cls, ctypes.Structure) and cls.__module__ == m.__name__:
                            print(name, ctypes.sizeof(cls), *("%s=%d" % (f, getattr(cls, f).offset) for f, _ in cls._fields_))
                    """, resources().toString(), stem));
            // The module's last class is the struct it is named after; the others are what it embeds.
            // Its fields are the Java fields in order (renamed where Python or ctypes cannot take the name).
            String[] lines = out.strip().split("\n");
            String[] last = lines[lines.length - 1].split(" ");
            Class<?> type = Class.forName(stem.replace("dev_sharedstruct_tests_", "dev.sharedstruct.tests.").replace('_', '$'));
            StructLayout layout = Structs.layout(type);
            List<MemoryLayout> fields = layout.memberLayouts().stream().filter(m -> !(m instanceof PaddingLayout)).toList();
            assertEquals(type.getSimpleName(), last[0]);
            assertEquals(layout.byteSize(), Long.parseLong(last[1]), stem + " size");
            assertEquals(fields.size(), last.length - 2, stem + " fields: " + out);
            for (int i = 2; i < last.length; i++) {
                String[] field = last[i].split("=");
                String javaName = fields.get(i - 2).name().orElseThrow();
                assertTrue(field[0].startsWith(javaName.replaceAll("[^A-Za-z0-9_]", "_")), stem + "." + field[0] + " is " + javaName);
                assertEquals(layout.byteOffset(groupElement(javaName)), Long.parseLong(field[1]), stem + "." + field[0]);
            }
            checked.add(stem);
        }
        assertTrue(checked.size() >= 10, "checked " + checked);
    }

    @Test
    void emitWritesAHeaderAndAModuleFromALiveRegionsStoredLayout(@TempDir Path dir) throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            shm.findOrCreate("sensor", Sensor.class).name("abc");
            List<String> emit = List.of("env", "PYTHONPATH=" + Peers.repository().resolve("python"), "python3", "-m",
                    "sharedstruct.emit");
            String header = Peers.run(concat(emit, "--lang", "c", shm.path().toString(), "sensor"));
            Files.writeString(dir.resolve("sensor.h"), header);
            Path c = dir.resolve("use.c");
            Files.writeString(c, """
                    #define SHAREDSTRUCT_IMPLEMENTATION
                    #include "sharedstruct.h"
                    #include "sensor.h"
                    #include <stdio.h>
                    int main(int argc, char **argv) {
                        char error[512]; ss_region region; ss_object found;
                        (void)argc;
                        if (ss_open(&region, argv[1], error, sizeof error) != 0
                                || ss_find(&region, "sensor", SENSOR_FINGERPRINT, SENSOR_LAYOUT, &found, error, sizeof error) != 0) {
                            puts(error);
                            return 1;
                        }
                        printf("%s %d\\n", ((struct Sensor *)found.data)->name, (int)sizeof(struct Sensor_position));
                        return 0;
                    }
                    """);
            Path binary = dir.resolve("use");
            Peers.run(List.of("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", Peers.repository().resolve("c").toString(),
                    "-I", dir.toString(), c.toString(), "-o", binary.toString()));
            assertEquals("abc 16", Peers.run(List.of(binary.toString(), shm.path().toString())).strip());
            Files.writeString(dir.resolve("emitted_sensor.py"), Peers.run(concat(emit, "--lang", "python", shm.path().toString(), "sensor")));
            String out = Peers.run(List.of("python3", "-c", """
                    import ctypes, sys
                    sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])
                    from sharedstruct import Region
                    from emitted_sensor import Sensor
                    with Region.open(sys.argv[3]) as region:
                        print(region.find("sensor", Sensor).name, ctypes.sizeof(Sensor), Sensor.corners.offset, Sensor.grade.offset)
                    """, Peers.repository().resolve("python").toString(), dir.toString(), shm.path().toString()));
            StructLayout layout = Structs.layout(Sensor.class);
            assertEquals("abc " + layout.byteSize() + " " + layout.byteOffset(groupElement("corners")) + " "
                    + layout.byteOffset(groupElement("grade")), out.strip());
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    @Test
    void theGeneratedLayoutTextIsWhatARegionStores() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            shm.findOrCreate("sensor", Sensor.class);
            String out = Peers.run(List.of("python3", "-c", """
                    import sys
                    sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])
                    from sharedstruct import Region
                    from dev_sharedstruct_tests_DataKinds_Sensor import Sensor
                    with Region.open(sys.argv[3]) as region:
                        sensor = region.find("sensor", Sensor)
                        print(type(sensor.get_obj()).__name__, sensor.get_obj().__class__ is Sensor,
                              region.info("sensor")["layout"] == Sensor.LAYOUT)
                    """, Peers.repository().resolve("python").toString(), resources().toString(), shm.path().toString()));
            assertEquals("Sensor True True", out.strip(), "the fingerprint matches and the layout text is the stored one");
        }
    }
}
