package dev.sharedstruct.tests;

import dev.sharedstruct.testsupport.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the Python and C peer programs (python/tools/peer.py, c/peer.c) the peer tests run. */
final class Peers {
    private static Path cPeer;
    private static List<String> cPeerSanitized;

    private Peers() {
    }

    /** The repository root: the directory above the tests that holds python/sharedstruct. */
    static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("python").resolve("sharedstruct"))) {
                return dir;
            }
        }
        throw new IllegalStateException("python/sharedstruct not found above " + Path.of("").toAbsolutePath());
    }

    static Process python(String... args) {
        List<String> command = new ArrayList<>(List.of("python3", repository().resolve("python/tools/peer.py").toString()));
        command.addAll(List.of(args));
        return start(command);
    }

    /** The Python peer with its pure-ctypes lock (what a machine without a C compiler runs). */
    static Process pythonWithCtypesLock(String... args) {
        List<String> command = new ArrayList<>(List.of("env", "SHAREDSTRUCT_NATIVE=0", "python3",
                repository().resolve("python/tools/peer.py").toString()));
        command.addAll(List.of(args));
        return start(command);
    }

    static Process c(String... args) {
        List<String> command = new ArrayList<>(List.of(cPeer().toString()));
        command.addAll(List.of(args));
        return start(command);
    }

    /** c/peer.c compiled once per test JVM with gcc -Wall -Wextra -Werror. */
    static synchronized Path cPeer() {
        if (cPeer == null) {
            try {
                Path dir = Files.createTempDirectory("sharedstruct-cpeer");
                Path binary = dir.resolve("peer");
                dir.toFile().deleteOnExit();      // registered first, deleted last
                binary.toFile().deleteOnExit();
                run(List.of("gcc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-I", repository().resolve("c").toString(),
                        repository().resolve("c/peer.c").toString(), "-o", binary.toString()));
                cPeer = binary;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cPeer;
    }

    /**
     * c/peer.c compiled once per test JVM as {@link #cPeer()} is, plus {@code -fsanitize=address,undefined
     * -fno-sanitize-recover=all} when this gcc can (else the plain build): a read or write out of bounds,
     * or a signed overflow, then ends the peer with a report on its error output instead of passing unseen.
     */
    static synchronized List<String> cPeerSanitized() {
        if (cPeerSanitized == null) {
            try {
                Path dir = Files.createTempDirectory("sharedstruct-cpeer-san");
                Path binary = dir.resolve("peer");
                dir.toFile().deleteOnExit();
                binary.toFile().deleteOnExit();
                Process gcc = start(List.of("gcc", "-std=c11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
                        "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-I", repository().resolve("c").toString(),
                        repository().resolve("c/peer.c").toString(), "-o", binary.toString()));
                finish(gcc, 120);
                cPeerSanitized = gcc.exitValue() == 0
                        ? List.of("env", "ASAN_OPTIONS=detect_leaks=0", binary.toString())
                        : List.of(cPeer().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cPeerSanitized;
    }

    /** The C peer built by {@link #cPeerSanitized()}. */
    static Process cSanitized(String... args) {
        List<String> command = new ArrayList<>(cPeerSanitized());
        command.addAll(List.of(args));
        return start(command);
    }

    /** Runs a command to its end; returns its standard output, failing with its error output if it fails. */
    static String run(List<String> command) {
        Process process = start(command);
        try {
            String out = finish(process, 120);
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " exited with " + process.exitValue() + ": " + out
                        + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a process (at most {@code seconds}) and returns its standard output. */
    static String finish(Process process, int seconds) {
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("a peer process did not finish in " + seconds + " s");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Reads the first line a process prints, failing if it exits first. */
    static String firstLine(Process process) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = process.getInputStream().read()) != -1 && c != '\n'; ) {
            line.append((char) c);
        }
        return line.toString();
    }

    static Process start(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            return ChildJvm.killedAtExit(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command + ": " + e.getMessage(), e);
        }
    }
}
