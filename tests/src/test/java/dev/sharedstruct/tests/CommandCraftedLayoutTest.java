package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.tests.Command.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command on regions whose stored layout text was crafted (an attack's reproducers): every
 * command that reads the layout refuses it as a corrupt region, in one line on stderr that names
 * the region, the object and what is wrong, with status 2; never a stack trace, never FFM's text.
 */
class CommandCraftedLayoutTest {
    @TempDir
    Path directory;

    private Path region(String layout) throws Exception {
        return ForgedLayout.region(directory.resolve("crafted.region"), layout);
    }

    /** The commands that decode or declare p1 from its layout. */
    private static List<List<String>> readers(Path region) {
        String r = region.toString();
        return List.of(List.of("show", r, "p1"), List.of("show", r, "p1", "--json"), List.of("watch", r, "p1", "--count", "1", "--plain"),
                List.of("emit", "--lang", "c", r, "p1"), List.of("emit", "--lang", "python", r, "p1"));
    }

    private static void assertRefused(Path region, List<String> args, String says) throws Exception {
        Result result = Command.run(args.toArray(String[]::new));
        assertEquals(2, result.exit(), () -> args + ": " + result);
        assertEquals("", result.out(), () -> args + ": " + result);
        assertEquals(1, result.err().lines().count(), () -> args + ": one line: " + result);
        assertTrue(result.err().contains(region + ": \"p1\": "), () -> args + ": names the region and the object: " + result);
        assertTrue(result.err().contains(says), () -> args + ": says \"" + says + "\": " + result);
        assertFalse(result.err().contains("Exception") || result.err().contains("Error"), () -> args + ": " + result);
    }

    @Test
    void aFieldNestedFiftyThousandStructsDeepIsRefusedRatherThanOverflowingTheStack() throws Exception {
        Path region = region("a.".repeat(50_000) + "x:int@0;size=16");
        for (List<String> args : readers(region)) {
            assertRefused(region, args, "is nested 50000 structs deep, more than the 64 this command reads");
        }
    }

    @Test
    void nestingUpToTheLimitIsShownAndOneLevelMoreIsRefused() throws Exception {
        Path deepest = region("a.".repeat(64) + "x:double@0;size=16");
        Result shown = Command.run("show", deepest.toString(), "p1", "--field", "a.".repeat(64) + "x", "--json");
        assertEquals(0, shown.exit(), shown::toString);
        assertTrue(shown.out().contains("\"value\": 1.5"), shown::toString);
        Path deeper = ForgedLayout.region(directory.resolve("deeper.region"), "a.".repeat(65) + "x:double@0;size=16");
        assertRefused(deeper, List.of("show", deeper.toString(), "p1"), "is nested 65 structs deep");
    }

    @Test
    void aStructArrayWhoseElementsDoNotFitTheObjectIsRefusedNamingTheField() throws Exception {
        // 2 elements of 2^63-1 bytes: their size wrapped to -2, which the parse's "ends past the struct" check let through
        // before it bounded its numbers.
        Path region = region("c:struct9223372036854775807[2]@0;size=16");
        for (List<String> args : readers(region)) {
            assertRefused(region, args, "the number 9223372036854775807, larger than any struct's");
        }
        Path inElement = ForgedLayout.region(directory.resolve("element.region"),
                "c:struct8[2]@0;c[].d:struct9223372036854775807[2]@0;c[].d[].y:int@0;size=16");
        assertRefused(inElement, List.of("show", inElement.toString(), "p1"), "the number 9223372036854775807, larger than any struct's");
    }

    @Test
    void overlappingOrEmptyFieldsAreRefused() throws Exception {
        Path overlapping = region("x:double@0;y:double@4;size=16");
        assertRefused(overlapping, List.of("show", overlapping.toString(), "p1"), "field y at offset 4 overlaps the field before it");
        Path empty = ForgedLayout.region(directory.resolve("empty.region"), "c:struct0[5]@0;size=16");
        assertRefused(empty, List.of("show", empty.toString(), "p1"), "field c has elements of no bytes");
    }

    @Test
    void aLayoutTheParseRefusesIsRefusedNamingTheRegionAndTheObject() throws Exception {
        Path region = region("x:double@0;abc;size=16");
        for (List<String> args : readers(region)) {
            assertRefused(region, args, "the stored layout \"x:double@0;abc;size=16\" is not readable");
        }
    }
}
