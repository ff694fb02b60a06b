package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A Python program maps the region file and reads and writes a struct a Java process made. */
class PythonPeerTest {

    @Test
    void pythonCtypesSeesTheSameStructAtTheHandlesOffset() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Point point = shm.findOrCreate("point", Point.class);
            point.x(1.5);
            point.y(-2.25);
            long offset = Handle.parse(Structs.handle(point)).placement().object();
            Process python = new ProcessBuilder("python3", Tools.script("python_peer.py").toString(), shm.path().toString(),
                    Long.toString(offset))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            boolean ended = python.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                python.destroyForcibly();
            }
            assertTrue(ended, "python_peer.py did not end within 60 s and was killed");
            String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, python.exitValue(), "python_peer.py failed; it printed: " + printed);
            assertEquals("1.5 -2.25", printed, "Python read what Java wrote, at the offset the handle gives");
            assertEquals(15.0, point.y(), "Java reads what Python wrote");
        }
    }
}
