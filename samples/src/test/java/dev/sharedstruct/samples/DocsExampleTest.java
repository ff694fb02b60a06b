package dev.sharedstruct.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The port of Python's documentation example prints what Python prints. */
class DocsExampleTest {

    @Test
    void printsExactlyWhatPythonsExamplePrints() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            DocsExample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        // The values, labelled, after the heading; each is what Python's example prints.
        String values = output.substring(output.indexOf("n.value = "));
        assertEquals("""
                n.value = 49
                x.value = 0.1111111111111111
                s.value = HELLO WORLD
                [(a.x, a.y) for a in A] = [(3.515625, 39.0625), (33.0625, 4.0), (5.640625, 90.25)]
                """, values);
        // The heading promises exactly these values.
        for (String promised : DocsExample.PYTHON_PRINTS) {
            String value = promised.substring(promised.lastIndexOf("  ") + 2);
            assertTrue(values.contains("= " + value + "\n"), promised + " is not what was printed:\n" + output);
        }
        assertTrue(output.startsWith("\n== DocsExample: "), output);
    }
}
