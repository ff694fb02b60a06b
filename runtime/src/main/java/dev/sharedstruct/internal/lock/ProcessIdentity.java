package dev.sharedstruct.internal.lock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** The groups this process is in (effective and supplementary), read from {@code /proc/self/status} on Linux. */
public final class ProcessIdentity {
    private ProcessIdentity() {
    }

    public static Set<Integer> groups() {
        Set<Integer> groups = new HashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Gid:")) {
                    // real, effective, saved, filesystem: the effective and filesystem ids decide file access.
                    String[] ids = line.substring(4).trim().split("\\s+");
                    groups.add(Integer.parseInt(ids[1]));
                    groups.add(Integer.parseInt(ids[ids.length - 1]));
                } else if (line.startsWith("Groups:")) {
                    for (String id : line.substring(7).trim().split("\\s+")) {
                        if (!id.isEmpty()) {
                            groups.add(Integer.parseInt(id));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot tell this process's groups from /proc/self/status", e);
        }
        return groups;
    }
}
