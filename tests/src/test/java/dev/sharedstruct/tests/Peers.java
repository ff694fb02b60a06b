package dev.sharedstruct.tests;

import dev.sharedstruct.testsupport.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Starts the Python and C peer programs (python/tools/peer.py, c/peer.c) the peer tests run. */
final class Peers {
    /** The readers of the processes' error output, which {@link #finish} drains while it reads their output. */
    private static final Map<Process, CompletableFuture<String>> ERRORS = new WeakHashMap<>();
    private static final ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();
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
        String out = finish(process, 120);
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " exited with " + process.exitValue() + ": " + out + errors(process));
        }
        return out;
    }

    /**
     * Waits for a process (at most {@code seconds}) and returns its standard output. Both of its
     * output streams are read meanwhile, each on a thread of its own: a child blocks once it has
     * filled a pipe (64 KB), so reading one stream to its end before the other waits for ever on
     * a child that writes that much to the other. {@link #errors} has the error output.
     */
    static String finish(Process process, int seconds) {
        CompletableFuture<String> errors = errorsOf(process);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), READERS);
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("a peer process did not finish in " + seconds + " s: " + errors.getNow(""));
            }
            return out.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The error output of a process, to its end (read on a thread of its own from the first call on). */
    static String errors(Process process) {
        return errorsOf(process).join();
    }

    private static CompletableFuture<String> errorsOf(Process process) {
        synchronized (ERRORS) {
            return ERRORS.computeIfAbsent(process, p -> CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), READERS));
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
