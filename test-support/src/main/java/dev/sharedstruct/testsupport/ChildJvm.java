package dev.sharedstruct.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class with the same Java runtime and class path as this one: the
 * counterpart of Python's {@code multiprocessing.Process(target=f, args=(...))}, where the
 * arguments are usually handles ({@code Structs.handle}) of shared objects.
 *
 * <pre>{@code
 * ChildJvm child = ChildJvm.start(Worker.class, Structs.handle(counter));
 * child.joinSuccessfully(Duration.ofMinutes(1));   // throws with its exit code and error output
 * }</pre>
 *
 * <p>The child's output and error output are copied to this process's, and kept, so that a
 * failure can report what the child said. With the system property
 * {@code sharedstruct.childJvm.echo=false} (the build sets it for tests) they are only kept: a
 * passing test prints nothing, and a failing one reports what its children said.
 */
public final class ChildJvm {
    /** Children still running, killed when this JVM exits: a test that fails half-way must not leave them spinning. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kill-child-processes"));
    }

    private final Process process;
    private final String description;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final Thread outputPump;
    private final Thread errorPump;

    private ChildJvm(Process process, String description) {
        this.process = killedAtExit(process);
        this.description = description;
        boolean echo = !"false".equals(System.getProperty("sharedstruct.childJvm.echo"));
        this.outputPump = pump(process.getInputStream(), output, echo ? System.out : OutputStream.nullOutputStream());
        this.errorPump = pump(process.getErrorStream(), errors, echo ? System.err : OutputStream.nullOutputStream());
    }

    /** Starts {@code mainClass} with {@code args} in a new JVM. */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(List.of(), mainClass, args);
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM given extra {@code jvmOptions}
     * (such as {@code -Xmx64m}). Native access is enabled in the child when it is in this JVM.
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) {
        Objects.requireNonNull(mainClass, "mainClass");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ChildJvm.class.getModule().isNativeAccessEnabled()) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(jvmOptions);
        command.add("-classpath");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        for (String arg : args) {
            command.add(Objects.requireNonNull(arg, "an argument is null"));
        }
        try {
            return new ChildJvm(new ProcessBuilder(command).start(), mainClass.getSimpleName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM for " + mainClass.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Has {@code process} (a child JVM, or a peer program a test started) killed when this JVM
     * exits, if it still runs then: a test that fails before it waits for its children must not
     * leave them running (a barrier that never fills spins forever).
     *
     * @param process a process this JVM started
     * @return the process
     */
    public static Process killedAtExit(Process process) {
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
        return process;
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** The underlying process, to signal or inspect it. */
    public Process process() {
        return process;
    }

    /**
     * Waits for the child to end and returns its exit code.
     *
     * @throws IllegalStateException if it is still running after {@code timeout} (it is then killed)
     */
    public int join(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new IllegalStateException("child JVM " + description + " (pid " + pid() + ") did not end within " + timeout
                    + " and was killed; it said: " + errorOutput());
        }
        outputPump.join();
        errorPump.join();
        return process.exitValue();
    }

    /** Waits for the child; throws, with its exit code and error output, unless it exited with 0. */
    public void joinSuccessfully(Duration timeout) throws InterruptedException {
        int exit = join(timeout);
        if (exit != 0) {
            throw new IllegalStateException("child JVM " + description + " (pid " + pid() + ") exited with " + exit
                    + "; its error output:\n" + errorOutput());
        }
    }

    /**
     * Waits until the child's standard output contains {@code text}; throws, with all the child
     * said, if it exits first or {@code timeout} passes.
     *
     * @param text what to wait for
     * @param timeout how long to wait at most
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                join(timeout); // the output copied after its exit counts too
                if (output().contains(text)) {
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
                throw new AssertionError("child JVM " + description + " never said \"" + text + "\"; it said: "
                        + output() + errorOutput());
            }
            Thread.sleep(5);
        }
    }

    /** What the child wrote to its standard output so far. */
    public String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** What the child wrote to its error output so far. */
    public String errorOutput() {
        synchronized (errors) {
            return errors.toString(StandardCharsets.UTF_8);
        }
    }

    private static Thread pump(InputStream from, ByteArrayOutputStream keep, OutputStream echo) {
        return Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[8192];
            try (from) {
                for (int read; (read = from.read(buffer)) >= 0; ) {
                    synchronized (keep) {
                        keep.write(buffer, 0, read);
                    }
                    echo.write(buffer, 0, read);
                    echo.flush();
                }
            } catch (IOException ignored) {
                // The child is gone; what it wrote so far is kept.
            }
        });
    }

    @Override
    public String toString() {
        return "ChildJvm[" + description + ", pid " + pid() + "]";
    }
}
