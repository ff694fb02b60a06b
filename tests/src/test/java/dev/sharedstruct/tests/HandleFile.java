package dev.sharedstruct.tests;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.tests.Samples.Counter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Handles of many counters handed to a child JVM in a file, one per line (too many for its command line). */
final class HandleFile {
    private HandleFile() {
    }

    /** The region of the first handle in {@code file}, opened, and every counter the file names, attached there. */
    record Attached(SharedMemory shm, List<Counter> counters) implements AutoCloseable {
        @Override
        public void close() {
            shm.close();
        }
    }

    /** Opens the region the handles in {@code file} name and attaches each of them as a {@link Counter}. */
    static Attached attachCounters(Path file) throws IOException {
        List<String> handles = Files.readAllLines(file);
        SharedMemory shm = SharedMemory.open(Handle.parse(handles.getFirst()).region());
        try {
            List<Counter> counters = new ArrayList<>();
            for (String handle : handles) {
                counters.add(shm.attach(handle, Counter.class));
            }
            return new Attached(shm, counters);
        } catch (RuntimeException e) {
            shm.close();
            throw e;
        }
    }
}
