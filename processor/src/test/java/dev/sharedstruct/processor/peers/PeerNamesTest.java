package dev.sharedstruct.processor.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.processor.peers.PeerStruct.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that are legal in Java but that C or Python cannot take as they are (docs/PEERS.md,
 * "Names"): each field of a struct made of them is reached, in the header compiled with
 * c/sharedstruct.h's implementation and in the imported module, by the name the rules give it, and
 * reads its own bytes; structs named so compile and import; and python/sharedstruct/emit.py names
 * them all as the Java writers do.
 */
class PeerNamesTest {
    /** The repository: the processor module's parent, where c/sharedstruct.h and python/sharedstruct are. */
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    @org.junit.jupiter.api.BeforeAll
    static void theRepositoryIsFound() {
        assertTrue(Files.isRegularFile(REPOSITORY.resolve("c/sharedstruct.h"))
                && Files.isDirectory(REPOSITORY.resolve("python/sharedstruct")), "not the repository: " + REPOSITORY);
    }

    /** Java field name → {C identifier, Python identifier}, in field order (order matters for the collisions). */
    private static final Map<String, String[]> FIELDS = new LinkedHashMap<>();

    static {
        // Python keywords and builtins; C keywords, old and C23's.
        field("from", "from", "from_");
        field("lambda", "lambda", "lambda_");
        field("None", "None", "None_");
        field("print", "print", "print");
        field("any", "any", "any");
        field("auto", "auto_", "auto");
        field("register", "register_", "register");
        field("_Bool", "_Bool_", "_Bool");
        field("constexpr", "constexpr_", "constexpr");
        field("nullptr", "nullptr_", "nullptr");
        // Dunders would replace the ctypes class's own attributes.
        field("__init__", "__init___", "__init___");
        field("__new__", "__new___", "__new___");
        field("__class__", "__class___", "__class___");
        field("__module__", "__module___", "__module___");
        field("__qualname__", "__qualname___", "__qualname___");
        field("__dict__", "__dict___", "__dict___");
        field("__", "___", "___");
        // Renamed to be unique, never to a reserved name.
        field("__init_", "__init__", "__init_");
        field("__init$", "__init____", "__init____");
        field("_fields", "_fields", "_fields");
        field("_fields$", "_fields_", "_fields__");
        // Macros: the C library's, gcc's, the implementation's, c/sharedstruct.h's and the header's own.
        field("errno", "errno_", "errno");
        field("st_mtime", "st_mtime_", "st_mtime");
        field("linux", "linux_", "linux");
        field("unix", "unix_", "unix");
        field("I", "I_", "I");
        field("static_assert", "static_assert_", "static_assert");
        field("_Pragma", "_Pragma_", "_Pragma");
        field("_Float32", "_Float32_", "_Float32");
        field("__linux__", "__linux___", "__linux___");
        field("__WORDSIZE", "__WORDSIZE_", "__WORDSIZE");
        field("__VA_ARGS__", "__VA_ARGS___", "__VA_ARGS___");
        field("__func__", "__func___", "__func___");
        field("SS_HDR_LOCK", "SS_HDR_LOCK_", "SS_HDR_LOCK");
        field("SHAREDSTRUCT_STRUCT_Names", "SHAREDSTRUCT_STRUCT_Names_", "SHAREDSTRUCT_STRUCT_Names");
        field("NAMES_LAYOUT", "NAMES_LAYOUT_", "NAMES_LAYOUT");
        // $ and non-ASCII letters, alone and colliding once made ASCII.
        field("$", "_", "_");
        field("$$", "____", "____");
        field("a$b", "a_b", "a_b");
        field("a_b", "a_b_", "a_b_");
        field("température", "temp_rature", "temp_rature");
    }

    private static void field(String java, String c, String python) {
        FIELDS.put(java, new String[] {c, python});
    }

    private static PeerDeclaration names(String typeName) {
        List<Field> fields = new ArrayList<>();
        StringBuilder layout = new StringBuilder();
        int offset = 0;
        for (String name : FIELDS.keySet()) {
            fields.add(new Field(name, offset, new PeerStruct.Primitive("int", 0)));
            layout.append(name).append(":int@").append(offset).append(';');
            offset += 4;
        }
        return new PeerDeclaration(typeName, 0x5eedL, layout.append("size=").append(offset).toString(), new PeerStruct(fields, offset));
    }

    /** One field {@code x}, or with {@code nested} an embedded struct {@code inner} of one field {@code x}. */
    private static PeerDeclaration oneField(String typeName, boolean nested) {
        PeerStruct.Primitive anInt = new PeerStruct.Primitive("int", 0);
        if (!nested) {
            return new PeerDeclaration(typeName, 1L, "x:int@0;size=4", new PeerStruct(List.of(new Field("x", 0, anInt)), 4));
        }
        PeerStruct inner = new PeerStruct(List.of(new Field("x", 0, anInt)), 4);
        return new PeerDeclaration(typeName, 1L, "inner.x:int@0;size=4", new PeerStruct(List.of(new Field("inner", 0,
                new PeerStruct.Nested(inner))), 4));
    }

    private static List<String> column(int i) {
        return FIELDS.values().stream().map(names -> names[i]).toList();
    }

    /** "1 2 3 ... n": what each field holds when the i-th, in layout order, was written i + 1 through its name. */
    private static String counted() {
        return IntStream.rangeClosed(1, FIELDS.size()).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    @Test
    void everyFieldOfTheHeaderIsReachedByItsNameWithCSharedstructHInEveryStandard(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("names.h"), CHeaderWriter.write("Test", names("p.Names")));
        List<String> c = column(0);
        StringBuilder program = new StringBuilder("""
                #define SHAREDSTRUCT_IMPLEMENTATION
                #include "sharedstruct.h"
                #include "names.h"
                #include <stdio.h>
                #include <string.h>
                int main(void) {
                    struct Names names;
                    int32_t seen[sizeof names / 4];
                    memset(&names, 0, sizeof names);
                """);
        for (int i = 0; i < c.size(); i++) {
            program.append("    names.").append(c.get(i)).append(" = ").append(i + 1).append(";\n");
        }
        program.append("""
                    memcpy(seen, &names, sizeof names);
                    for (size_t i = 0; i < sizeof names / 4; i++) printf(i == 0 ? "%d" : " %d", (int)seen[i]);
                    printf("\\n%lld\\n", (long long)NAMES_FINGERPRINT);
                    return 0;
                }
                """);
        Files.writeString(dir.resolve("names.c"), program);
        for (String standard : List.of("c11", "gnu17", "c2x")) {
            run(dir, "gcc", "-std=" + standard, "-Wall", "-Wextra", "-Werror", "-I", REPOSITORY.resolve("c").toString(),
                    "names.c", "-o", "names");
            assertEquals(counted() + "\n" + 0x5eed, run(dir, dir.resolve("names").toString()).strip(), standard);
        }
    }

    @Test
    void everyFieldOfTheModuleIsReachedByItsNameAndTheClassStaysAClass(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("names_module.py"), PythonModuleWriter.write("Test", names("p.Names")));
        String out = run(dir, "python3", "-c", """
                import ctypes, struct, sys
                sys.path.insert(0, sys.argv[1])
                from names_module import Names
                names = Names()
                for i, name in enumerate(sys.argv[2:]):
                    setattr(names, name, i + 1)
                print(" ".join(map(str, struct.unpack("%di" % (ctypes.sizeof(Names) // 4), bytes(names)))))
                print([f for f, _ in Names._fields_] == sys.argv[2:], Names.__name__, Names.__module__, hex(Names.FINGERPRINT))
                """, concat(List.of(dir.toString()), column(1)));
        assertEquals(counted() + "\nTrue Names names_module 0x5eed", out.strip());
    }

    /** Struct names: each compiles and imports, and an embedded struct named after one is found from its parent's body. */
    @Test
    void structsNamedLikeWhatALanguageReservesCompileAndImport(@TempDir Path dir) throws Exception {
        Map<String, String[]> types = new LinkedHashMap<>();
        types.put("any", new String[] {"any", "any_"});
        types.put("getattr", new String[] {"getattr", "getattr_"});
        types.put("ImportError", new String[] {"ImportError", "ImportError_"});
        types.put("ctypes", new String[] {"ctypes", "ctypes_"});
        types.put("errno", new String[] {"errno_", "errno"});
        types.put("_Pragma", new String[] {"_Pragma_", "_Pragma"});
        types.put("__linux__", new String[] {"__linux___", "__linux___"});
        types.put("__Mangled", new String[] {"__Mangled_", "__Mangled___"});
        types.put("__name", new String[] {"__name_", "__name___"});
        types.put("SS_HDR", new String[] {"SS_HDR_", "SS_HDR"});
        types.put("stat", new String[] {"stat_", "stat"});
        types.put("timespec", new String[] {"timespec_", "timespec"});
        StringBuilder includes = new StringBuilder("#define SHAREDSTRUCT_IMPLEMENTATION\n#include \"sharedstruct.h\"\n");
        StringBuilder uses = new StringBuilder();
        StringBuilder imports = new StringBuilder("import ctypes, sys\nsys.path.insert(0, sys.argv[1])\n");
        int i = 0;
        for (Map.Entry<String, String[]> type : types.entrySet()) {
            for (boolean nested : List.of(false, true)) {
                String stem = "t" + i++;
                PeerDeclaration declaration = oneField("p.Outer$" + type.getKey(), nested);
                Files.writeString(dir.resolve(stem + ".h"), CHeaderWriter.write(stem, declaration));
                Files.writeString(dir.resolve(stem + ".py"), PythonModuleWriter.write(stem, declaration));
                String c = type.getValue()[0];
                String python = type.getValue()[1];
                if (!nested) {
                    includes.append("#include \"").append(stem).append(".h\"\n");
                    uses.append("    struct ").append(c).append(" ").append(stem).append(" = {0};\n    total += ").append(stem)
                            .append(".x;\n");
                }
                imports.append("import ").append(stem).append("\nprint(").append(stem).append(".").append(python)
                        .append(".__name__, ctypes.sizeof(").append(stem).append(".").append(python).append("()))\n");
            }
        }
        // Each struct with embedded ones is included alone: their top structs are named as the one-field ones.
        Files.writeString(dir.resolve("types.c"), includes + "int main(void) {\n    int total = 0;\n" + uses
                + "    return total;\n}\n");
        run(dir, "gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", REPOSITORY.resolve("c").toString(), "-fsyntax-only",
                "types.c");
        for (int j = 1; j < i; j += 2) {
            Files.writeString(dir.resolve("nested" + j + ".c"), "#define SHAREDSTRUCT_IMPLEMENTATION\n#include \"sharedstruct.h\"\n"
                    + "#include \"t" + j + ".h\"\nint main(void) { return 0; }\n");
            run(dir, "gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", REPOSITORY.resolve("c").toString(), "-fsyntax-only",
                    "nested" + j + ".c");
        }
        String expected = types.values().stream().map(names -> names[1] + " 4\n" + names[1] + " 4\n").collect(Collectors.joining());
        assertEquals(expected, run(dir, "python3", "-c", imports.toString(), List.of(dir.toString())));
    }

    /** python/sharedstruct/emit.py names by the same rules: its text is the Java writers' but for the first line. */
    @Test
    void thePythonEmitterNamesEveryOneAsTheJavaWritersDo(@TempDir Path dir) throws Exception {
        List<PeerDeclaration> declarations = new ArrayList<>(List.of(names("p.Names")));
        for (String type : List.of("any", "errno", "__Mangled", "__linux__", "ImportError", "température", "a$b", "stat", "tm")) {
            declarations.add(oneField("p." + type, true));
        }
        StringBuilder script = new StringBuilder("""
                import sys
                sys.path.insert(0, sys.argv[1])
                from sharedstruct import emit
                args = sys.argv[2:]
                for i in range(0, len(args), 2):
                    info = {"type": args[i], "layout": args[i + 1], "fingerprint": 0x5eed if args[i] == "p.Names" else 1}
                    for lang, write in (("c", emit.c_header), ("python", emit.python_module)):
                        text = write("x", info, emit.struct_for(info, lang))
                        sys.stdout.write(text[text.index("\\n") + 1:] + "\\0")
                """);
        List<String> args = new ArrayList<>(List.of(REPOSITORY.resolve("python").toString()));
        StringBuilder expected = new StringBuilder();
        for (PeerDeclaration declaration : declarations) {
            args.add(declaration.typeName());
            args.add(declaration.layoutText());
            for (String text : List.of(CHeaderWriter.write("x", declaration), PythonModuleWriter.write("x", declaration))) {
                expected.append(text.substring(text.indexOf('\n') + 1)).append('\0');
            }
        }
        assertEquals(expected.toString(), run(dir, "python3", "-c", script.toString(), args));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String run(Path dir, String... command) throws Exception {
        return run(dir, List.of(command));
    }

    private static String run(Path dir, String program, String flag, String script, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(program, flag, script));
        command.addAll(args);
        return run(dir, command);
    }

    /** The output of {@code command} run in {@code dir}, which must exit 0. */
    private static String run(Path dir, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, process.exitValue(), command.get(0) + " failed:\n" + err + out);
        return out;
    }
}
