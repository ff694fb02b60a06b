package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness that runs the peers reads a child's output and error output without deadlocking on either. */
class PeersHarnessTest {
    /** 200,000 bytes on the error output, then a line on the output: more than a pipe holds (64 KB). */
    private static final List<String> LOUD = List.of("sh", "-c",
            "head -c 200000 /dev/zero | tr '\\0' x >&2; echo done; exit ${0}");

    @Test
    void runReadsAChildThatFillsItsErrorPipe() {
        String out = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Peers.run(concat(LOUD, "0")),
                "Peers.run read the output to its end before the error output: the child blocked on a full pipe");
        assertEquals("done", out.strip());
    }

    @Test
    void runReportsTheWholeErrorOutputOfAFailedChild() {
        AssertionError failed = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(AssertionError.class, () -> Peers.run(concat(LOUD, "3"))));
        assertTrue(failed.getMessage().contains("exited with 3: done"), failed.getMessage());
        assertTrue(failed.getMessage().contains("x".repeat(200_000)), "the error output is all there");
    }

    @Test
    void finishAndErrorsReadAChildThatFillsItsErrorPipe() {
        Process child = Peers.start(concat(LOUD, "0"));
        String out = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Peers.finish(child, 60));
        assertEquals("done", out.strip());
        assertEquals(200_000, Peers.errors(child).length());
    }

    private static List<String> concat(List<String> command, String exit) {
        return java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of(exit)).toList();
    }
}
