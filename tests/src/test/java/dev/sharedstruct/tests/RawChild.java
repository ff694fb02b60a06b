package dev.sharedstruct.tests;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM whose standard output the test reads line by line (a protocol, not chatter: it is
 * not copied to the test output) and which the test may SIGKILL at any moment. Its error output
 * goes to a file, shown when something fails.
 */
final class RawChild implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;
    private final Path errors;

    private RawChild(Process process, Path errors) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.errors = errors;
    }

    /** Starts {@code main} with the test class path, small-JVM options, {@code properties} (-D...) and {@code args}. */
    static RawChild start(Class<?> main, List<String> properties, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (RawChild.class.getModule().isNativeAccessEnabled()) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        // Fast start-up: these children are started by the hundred and live for a moment.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m"));
        command.addAll(properties);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        try {
            Path errors = Files.createTempFile("sharedstruct-child", ".err");
            Process process = new ProcessBuilder(command).redirectError(errors.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return new RawChild(process, errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line of output, or null at its end. */
    String readLine() {
        try {
            return output.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and wait until the process is gone (reaped, so its pid reads as dead). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the exit; -1 if it did not end within {@code seconds} (then it is killed). */
    int join(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            return -1;
        }
        return process.exitValue();
    }

    String errors() {
        try {
            return Files.readString(errors);
        } catch (IOException e) {
            return "(no error output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            output.close();
            Files.deleteIfExists(errors);
        } catch (IOException ignored) {
            // a temporary file; nothing to do
        }
    }
}
