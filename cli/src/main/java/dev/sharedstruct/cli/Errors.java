package dev.sharedstruct.cli;

import dev.sharedstruct.InvalidRegionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine.ExecutionException;

/** One line that says what went wrong, for stderr. */
final class Errors {
    private Errors() {
    }

    static String oneLine(Throwable exception) {
        if (exception instanceof ExecutionException stopped && stopped.getCause() instanceof Error) {
            return stopped.getMessage().replace('\n', ' ') + " (--verbose shows where)"; // LastResort's
        }
        Throwable shown = exception instanceof UncheckedIOException && exception.getCause() != null ? exception.getCause() : exception;
        String message = switch (shown) {
            case NoSuchFileException missing -> "no such file: " + missing.getFile();
            case AccessDeniedException denied -> "permission denied: " + denied.getFile();
            default -> shown.getMessage();
        };
        if (message == null || message.isBlank()) {
            message = shown.getClass().getSimpleName();
        }
        boolean expected = shown instanceof BadInput || shown instanceof Refusal || shown instanceof IllegalArgumentException
                || shown instanceof IllegalStateException || shown instanceof InvalidRegionException
                || shown instanceof IOException;
        String line = message.replace('\n', ' ');
        return expected ? line : line + " (" + shown.getClass().getName() + "; --verbose shows where)";
    }
}
