package dev.sharedstruct.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals("""
                49
                0.1111111111111111
                HELLO WORLD
                [(3.515625, 39.0625), (33.0625, 4.0), (5.640625, 90.25)]
                """, captured.toString(StandardCharsets.UTF_8));
    }
}
