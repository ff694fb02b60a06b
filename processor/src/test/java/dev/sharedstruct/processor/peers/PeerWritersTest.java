package dev.sharedstruct.processor.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.processor.peers.PeerStruct.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writers over a hand-built {@link PeerStruct}: names either language cannot take are
 * renamed, embedded structs named {@code <Parent>_<field>}, and two headers embedding a struct
 * of the same name and layout compile together while one laid out otherwise does not.
 */
class PeerWritersTest {
    /** {@code struct Outer { int32_t auto; struct { int64_t LAYOUT; int8_t register; } inner; }}, names as Java gives them. */
    private static PeerDeclaration outer(String typeName, long innerSecondOffset) {
        PeerStruct inner = new PeerStruct(List.of(new Field("LAYOUT", 0, new PeerStruct.Primitive("long", 0)),
                new Field("register", innerSecondOffset, new PeerStruct.Primitive("byte", 0))), 16);
        PeerStruct outer = new PeerStruct(List.of(new Field("auto", 0, new PeerStruct.Primitive("int", 0)),
                new Field("inner", 8, new PeerStruct.Nested(inner))), 24);
        return new PeerDeclaration(typeName, 0x1234L, "auto:int@0;inner.LAYOUT:long@8;inner.register:byte@16;size=24", outer);
    }

    @Test
    void namesALanguageCannotTakeAreRenamedAndEmbeddedStructsNamedAfterTheirField() {
        String c = CHeaderWriter.write("Test", outer("a.Outer", 8));
        assertTrue(c.startsWith("/* Test: do not edit. */\n#ifndef SHAREDSTRUCT_A_OUTER_H\n"), c);
        assertTrue(c.contains("struct Outer_inner {\n    int64_t LAYOUT;\n    int8_t register_;\n};"), c);
        assertTrue(c.contains("struct Outer {\n    int32_t auto_;\n    struct Outer_inner inner;\n};"), c);
        assertTrue(c.contains("#define OUTER_LAYOUT \"auto:int@0;inner.LAYOUT:long@8;inner.register:byte@16;size=24\""), c);
        String py = PythonModuleWriter.write("Test", outer("a.Outer", 8));
        assertTrue(py.contains("        (\"LAYOUT_\", ctypes.c_int64),\n        (\"register\", ctypes.c_int8),"), py);
        assertTrue(py.contains("        (\"auto\", ctypes.c_int32),\n        (\"inner\", Outer_inner),"), py);
        assertTrue(py.contains("    FINGERPRINT = 0x0000000000001234\n    LAYOUT = \"auto:int@0;"), py);
    }

    @Test
    void headersSharingAnEmbeddedStructCompileTogetherUnlessItsLayoutDiffers(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("one.h"), CHeaderWriter.write("one", outer("a.Outer", 8)));
        Files.writeString(dir.resolve("two.h"), CHeaderWriter.write("two", outer("b.Outer", 8)));
        Files.writeString(dir.resolve("other.h"), CHeaderWriter.write("other", outer("c.Outer", 12)));
        Files.writeString(dir.resolve("same.c"), "#include \"one.h\"\n#include \"two.h\"\nint main(void) { return 0; }\n");
        Files.writeString(dir.resolve("differs.c"), "#include \"one.h\"\n#include \"other.h\"\nint main(void) { return 0; }\n");
        assertEquals("", gcc(dir, "same.c", 0));
        assertTrue(gcc(dir, "differs.c", 1).contains("Outer_inner.register_ is at offset 12 in the stored layout"));
    }

    @Test
    void aStructTheWritersCannotDeclareIsRefusedNamingWhy() {
        PeerStruct.Primitive anInt = new PeerStruct.Primitive("int", 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PeerStruct(List.of(), 4)).getMessage().contains("without fields"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PeerStruct(List.of(new Field("x", 2, anInt)), 4))
                .getMessage().contains("end at 6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PeerStruct.Primitive("integer", 0)).getMessage()
                .contains("integer"));
        assertThrows(IllegalArgumentException.class, () -> new Field("x", -1, anInt));
        assertThrows(IllegalArgumentException.class, () -> new PeerStruct.Text(0));
    }

    /** gcc's messages for {@code file} in {@code dir}, checking that it exits 0 ({@code status} 0) or not. */
    private static String gcc(Path dir, String file, int status) throws Exception {
        Process gcc = new ProcessBuilder("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", file)
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(120, TimeUnit.SECONDS), "gcc did not finish");
        assertEquals(status == 0, gcc.exitValue() == 0, out);
        return out;
    }
}
