package dev.sharedstruct.samples;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import java.nio.file.Path;

/**
 * The Java side of the three-language example (examples/peers/run.sh): {@code create REGION}
 * makes a region file holding a {@link Tally} named "tally"; {@code add REGION N} adds 1 to it N
 * times under its lock, while a Python and a C process do the same; {@code show REGION} prints it.
 */
public final class PeersExample {
    private PeersExample() {
    }

    public static void main(String[] args) {
        Path region = Path.of(args[1]);
        switch (args[0]) {
            case "create" -> {
                try (SharedMemory shm = SharedMemory.create(region, 1 << 16, RegionOption.KEEP_FILE)) {
                    shm.findOrCreate("tally", Tally.class).last("nobody");
                }
            }
            case "add" -> {
                try (SharedMemory shm = SharedMemory.open(region)) {
                    Tally tally = shm.find("tally", Tally.class).orElseThrow();
                    for (int i = Integer.parseInt(args[2]); i > 0; i--) {
                        tally.updateCount(v -> v + 1);   // Python: with t.get_lock(): t.count += 1
                    }
                    tally.last("java");
                }
            }
            case "show" -> {
                try (SharedMemory shm = SharedMemory.open(region)) {
                    Tally tally = shm.find("tally", Tally.class).orElseThrow();
                    System.out.println("Java sees " + tally + " (lock recoveries: " + Structs.lock(tally).recoveries() + ")");
                }
            }
            default -> throw new IllegalArgumentException("create, add or show, not " + args[0]);
        }
    }
}
