package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.tests.Command.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code sharedstruct emit}: the C it writes compiles with its asserts holding and finds the
 * object with c/sharedstruct.h; the Python class it writes finds it with python/sharedstruct; both
 * are, but for the first line, the processor's resource for the type and the text
 * {@code python3 -m sharedstruct.emit} writes; bad input is refused with status 2.
 */
class EmitCommandTest {
    @TempDir
    Path directory;

    private Path madeRegion() throws Exception {
        return CommandTest.regionMadeBy(EmitStructs.MakeRegion.class, directory.resolve("emit.region"));
    }

    private static String emitted(String lang, Path region, String name) throws Exception {
        Result result = Command.run("emit", "--lang", lang, region.toString(), name);
        assertEquals(0, result.exit(), result::toString);
        assertEquals("", result.err(), result::toString);
        return result.out();
    }

    /** {@code python3 -m sharedstruct.emit args}: the Python peer's own emitter. */
    private static Result pythonEmit(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", "-m", "sharedstruct.emit"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PYTHONPATH", Peers.repository().resolve("python").toString());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        return Command.run(builder);
    }

    /** Where the tests take a header or module from: {@code emit} or the processor's resources. */
    enum Source {
        EMIT, PROCESSOR
    }

    /** {@code object}'s (of {@code type}) header or module in {@code lang}, from {@code source}. */
    private static String declared(Source source, String lang, Path region, String object, Class<?> type) throws Exception {
        return source == Source.EMIT ? emitted(lang, region, object) : processorResource(type, lang.equals("c") ? ".h" : ".py");
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void theCCompilesWithItsAssertsAndFindsTheObjectsByNameAndFingerprint(Source source) throws Exception {
        Path region = madeRegion();
        byte[] before = Files.readAllBytes(region);
        Files.writeString(directory.resolve("awkward.h"), declared(source, "c", region, "awkward", EmitStructs.Awkward.class));
        Files.writeString(directory.resolve("pads.h"), declared(source, "c", region, "pads", EmitStructs.Padded.class));
        assertArrayEquals(before, Files.readAllBytes(region), "emit changed the region");
        Path program = directory.resolve("use.c");
        Files.writeString(program, """
                #define SHAREDSTRUCT_IMPLEMENTATION
                #include "sharedstruct.h"
                #include "awkward.h"
                #include "pads.h"
                #include <stdio.h>
                int main(int argc, char **argv) {
                    char error[1024]; ss_region region; ss_object found, pads;
                    (void)argc;
                    if (ss_open(&region, argv[1], error, sizeof error) != 0
                            || ss_find(&region, "awkward", AWKWARD_FINGERPRINT, AWKWARD_LAYOUT, &found, error, sizeof error) != 0
                            || ss_find(&region, "pads", PADDED_FINGERPRINT, PADDED_LAYOUT, &pads, error, sizeof error) != 0) {
                        puts(error);
                        return 1;
                    }
                    struct Awkward *a = found.data;
                    ss_lock(&found.lock);
                    printf("%d %d %d %d %d %d %.1f %lld %d %d %d %s %lld %zu %zu\\n", a->from, a->from_, a->lambda, a->None,
                           a->LAYOUT, a->auto_, a->temp_rature, (long long)a->pass.wide, a->pass.narrow, a->after,
                           a->items[1].narrow, a->label, (long long)a->counts[2], sizeof(struct Awkward_pass), sizeof(struct Awkward));
                    ss_unlock(&found.lock);
                    printf("%lld\\n", (long long)((struct Padded *)pads.data)[2].wide);
                    /* Another layout's fingerprint is refused, naming what differs. */
                    if (ss_find(&region, "pads", AWKWARD_FINGERPRINT, AWKWARD_LAYOUT, &found, error, sizeof error) == 0) {
                        return 2;
                    }
                    puts(error);
                    ss_close(&region);
                    return 0;
                }
                """);
        Path binary = directory.resolve("use");
        Peers.run(List.of("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", Peers.repository().resolve("c").toString(),
                "-I", directory.toString(), program.toString(), "-o", binary.toString()));
        String[] lines = Peers.run(List.of(binary.toString(), region.toString())).split("\n");
        assertEquals("1 2 3 4 5 6 7.5 -8000000000 9 10 11 h\u00e9 q 14 16 " + awkwardSize(), lines[0]);
        assertEquals("15", lines[1]);
        assertTrue(lines[2].contains("pads"), lines[2]);
    }

    /** The Java size of Awkward, which the C struct must have. */
    private static long awkwardSize() {
        return dev.sharedstruct.Structs.layout(EmitStructs.Awkward.class).byteSize();
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void thePythonClassIsWhatRegionFindTakesAndReadsWhatJavaWrote(Source source) throws Exception {
        Path region = madeRegion();
        Files.writeString(directory.resolve("emitted_awkward.py"), declared(source, "python", region, "awkward", EmitStructs.Awkward.class));
        Files.writeString(directory.resolve("emitted_pads.py"), declared(source, "python", region, "pads", EmitStructs.Padded.class));
        String out = Peers.run(List.of("python3", "-c", """
                import ctypes, sys
                sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])
                from sharedstruct import Region
                from emitted_awkward import Awkward, Awkward_pass_
                from emitted_pads import Padded
                with Region.open(sys.argv[3]) as region:
                    view = region.find("awkward", Awkward)
                    with view.get_lock():
                        a = view.get_obj()
                        print(type(a) is Awkward, a.from_, a.from__, a.lambda_, a.None_, a.LAYOUT_, a.auto, a.temp_rature,
                              a.pass_.wide, a.pass_.narrow, a.after, a.items[1].narrow, a.label.decode(), list(a.counts),
                              ctypes.sizeof(Awkward_pass_), ctypes.sizeof(Awkward))
                    print(region.find("pads", Padded)[2].wide)
                    try:
                        region.find("pads", Awkward)
                    except Exception as e:
                        print(type(e).__name__)
                """, Peers.repository().resolve("python").toString(), directory.toString(), region.toString()));
        String[] lines = out.split("\n");
        assertEquals("True 1 2 3 4 5 6 7.5 -8000000000 9 10 11 h\u00e9 q [12, 13, 14] 16 " + awkwardSize(), lines[0]);
        assertEquals("15", lines[1]);
        assertEquals("LayoutMismatchError", lines[2]);
    }

    @Test
    void theProcessorEmitAndPythonWriteTheSameTextButForTheFirstLine() throws Exception {
        Path region = madeRegion();
        // Keywords and ctypes' names as fields, nested structs, struct arrays, text, an enum, a char,
        // booleans; an object name that neither language takes.
        Map<String, Class<?>> objects = new LinkedHashMap<>();
        objects.put("awkward", EmitStructs.Awkward.class);
        objects.put("pads", EmitStructs.Padded.class);
        objects.put(EmitStructs.ODD_NAME, EmitStructs.Padded.class);
        objects.put("sensor", DataKinds.Sensor.class);
        for (Map.Entry<String, Class<?>> object : objects.entrySet()) {
            String name = object.getKey();
            for (String lang : List.of("c", "python")) {
                String emitted = emitted(lang, region, name);
                Result python = pythonEmit("--lang", lang, region.toString(), name);
                assertEquals(0, python.exit(), python::toString);
                assertEquals(python.out(), emitted, lang + " for " + name);
                String resource = processorResource(object.getValue(), lang.equals("c") ? ".h" : ".py");
                assertEquals(afterFirstLine(resource), afterFirstLine(emitted), lang + " for " + name);
                assertTrue(resource.startsWith(lang.equals("c") ? "/* Generated by the sharedstruct processor from "
                        : "\"\"\"Generated by the sharedstruct processor from "), resource);
                assertTrue(emitted.contains("Written by sharedstruct emit from the layout of"), emitted);
            }
        }
        String header = emitted("c", region, "awkward");
        assertTrue(header.contains("    int32_t auto_;\n"), header);
        assertTrue(header.contains("auto:int@") && header.contains("LAYOUT:int@"), "the layout text stays the region's: " + header);
        assertTrue(emitted("python", region, "awkward").contains("(\"LAYOUT_\", ctypes.c_int32)"), "ctypes' LAYOUT stays the class's");
        // The odd name is only in comments: the header compiles, the module imports.
        Path odd = Files.writeString(directory.resolve("odd.h"), emitted("c", region, EmitStructs.ODD_NAME));
        Peers.run(List.of("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-x", "c", odd.toString()));
        Files.writeString(directory.resolve("emitted_odd.py"), emitted("python", region, EmitStructs.ODD_NAME));
        assertEquals("16", Peers.run(List.of("python3", "-c",
                "import sys, ctypes; sys.path.insert(0, sys.argv[1]); import emitted_odd; print(ctypes.sizeof(emitted_odd.Padded))",
                directory.toString())).strip());
    }

    /** The processor's header or module for {@code type}, from the test classes' META-INF/sharedstruct/. */
    private static String processorResource(Class<?> type, String extension) throws Exception {
        String resource = "/META-INF/sharedstruct/" + type.getName().replace('.', '_').replace('$', '_') + extension;
        try (var in = EmitCommandTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "the processor wrote no " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String afterFirstLine(String text) {
        int newline = text.indexOf('\n');
        assertTrue(newline > 0, "no first line: " + text);
        return text.substring(newline + 1);
    }

    @Test
    void aLayoutCAndCtypesCannotMatchFailsTheCompileAndTheImport() throws Exception {
        // A copy of the region whose stored layout puts a short at offset 50, not where C puts it (48).
        Path region = madeRegion();
        byte[] bytes = Files.readAllBytes(region);
        int at = indexOf(bytes, "after:short@48;".getBytes(StandardCharsets.US_ASCII));
        assertTrue(at > 0, "the stored layout has after at 48");
        byte[] moved = "after:short@50;".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(moved, 0, bytes, at, moved.length);
        Path shifted = Files.write(directory.resolve("shifted.region"), bytes);
        Path header = Files.writeString(directory.resolve("shifted.h"), emitted("c", shifted, "awkward"));
        Process gcc = new ProcessBuilder("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-x", "c",
                header.toString()).redirectErrorStream(true).start();
        String compiler = Peers.finish(gcc, 120);
        assertNotEquals(0, gcc.exitValue(), "the header compiled: " + compiler);
        assertTrue(compiler.contains("Awkward.after is at offset 50 in the stored layout"), compiler);

        Files.writeString(directory.resolve("emitted_shifted.py"), emitted("python", shifted, "awkward"));
        Process python = new ProcessBuilder("python3", "-c", "import sys; sys.path.insert(0, sys.argv[1]); import emitted_shifted",
                directory.toString()).redirectErrorStream(true).start();
        String imported = Peers.finish(python, 60);
        assertNotEquals(0, python.exitValue(), "the module imported: " + imported);
        assertTrue(imported.contains("ImportError: Awkward is not laid out as in the stored layout"), imported);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void badInputIsRefusedWithStatusTwoAndOneLine() throws Exception {
        Path region = madeRegion();
        String r = region.toString();
        Path text = Files.writeString(directory.resolve("not.region"), "x".repeat(400));
        assertRefused(Command.run("emit", "--lang", "c", r, "level"), "\"level\" is a value ('d' double), not a struct");
        assertRefused(Command.run("emit", "--lang", "python", r, "nothing"), "no object named \"nothing\"");
        assertRefused(Command.run("emit", "--lang", "rust", r, "awkward"), "expected one of [c, python]");
        assertRefused(Command.run("emit", r, "awkward"), "Missing required option: '--lang");
        assertRefused(Command.run("emit", "--lang", "c", directory.resolve("missing").toString(), "awkward"), "no such file");
        assertRefused(Command.run("emit", "--lang", "c", text.toString(), "awkward"), "is not a sharedstruct region");
        assertRefused(Command.run("emit", "--lang", "c", r, ""), "name");
        assertPythonRefused(pythonEmit("--lang", "c", r, "level"), "\"level\" is a value, not a struct");
        assertPythonRefused(pythonEmit("--lang", "c", r, "nothing"), "no object named 'nothing' in " + r);
        assertPythonRefused(pythonEmit("--lang", "python", text.toString(), "awkward"), text.toString());
        assertPythonRefused(pythonEmit("--lang", "c", directory.resolve("missing").toString(), "awkward"), "missing");
    }

    /** Python's emitter refuses with one line naming what was wrong: never a traceback. */
    private static void assertPythonRefused(Result result, String says) {
        assertNotEquals(0, result.exit(), result::toString);
        assertEquals("", result.out(), result::toString);
        assertTrue(result.err().contains(says), "says \"" + says + "\": " + result);
        assertEquals(1, result.err().strip().lines().count(), "one line: " + result);
    }

    private static void assertRefused(Result result, String says) {
        assertEquals(2, result.exit(), result::toString);
        assertEquals("", result.out(), result::toString);
        assertTrue(result.err().contains(says), "says \"" + says + "\": " + result);
        assertEquals(1, result.err().strip().lines().count(), "one line: " + result);
    }
}
