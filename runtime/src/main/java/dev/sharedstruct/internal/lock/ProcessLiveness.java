package dev.sharedstruct.internal.lock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether the process that holds a lock is still there: read from {@code /proc/<pid>/stat} on
 * Linux, whose start time (clock ticks since boot) tells a live owner from a later process that
 * was given the same process id.
 */
public final class ProcessLiveness {
    /** What a look at a process id found. */
    public enum State {
        /** No such process, or one that has exited and only waits to be reaped. */
        DEAD,
        /** A process with that id whose start time is not the one the lock recorded. */
        OTHER_PROCESS,
        /** The process is alive with the recorded start time (or it cannot be told). */
        ALIVE
    }

    private ProcessLiveness() {
    }

    /** This process's start time, as {@link #of} compares it; 0 where {@code /proc} is missing. */
    static long currentStartTime() {
        long[] stat = stat(ProcessHandle.current().pid());
        return stat == null ? 0 : stat[1];
    }

    public static State of(long pid, long recordedStart) {
        long[] stat = stat(pid);
        if (stat == null) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? State.ALIVE : State.DEAD;
        }
        // A zombie with threads left is a process whose main thread ended (pthread_exit, as a C peer
        // may do) and that lives on in its other threads, one of which may be the owner: only a
        // zombie of one thread (or none) is dead.
        if (stat[0] == 'X' || (stat[0] == 'Z' && stat[2] <= 1)) {
            return State.DEAD;
        }
        return recordedStart == 0 || stat[1] == recordedStart ? State.ALIVE : State.OTHER_PROCESS;
    }

    /** {state, start time, threads} of a process (fields 3, 22, 20 of its stat), or null when there is no such process (or no /proc). */
    private static long[] stat(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return Files.isDirectory(Path.of("/proc/self")) ? new long[] {'X', 0, 0} : null;
        } catch (IOException e) {
            return null;
        }
        // "pid (command) state ppid ...": the command may hold spaces and parentheses, so split after the last ')'.
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return new long[] {fields[0].charAt(0), Long.parseLong(fields[19]), Long.parseLong(fields[17])};
    }
}
