package dev.sharedstruct.benchmarks;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import java.nio.file.Path;

/**
 * Makes the region the peer benchmarks (benchmarks/peers.sh) work on: a file args[0] kept after
 * exit, holding a synchronized {@link BenchCounter} named "counter" that Python and C peers find
 * by name, as a Java service would leave it for them.
 */
public final class PeerRegion {
    private PeerRegion() {
    }

    public static void main(String[] args) {
        try (SharedMemory shm = SharedMemory.create(Path.of(args[0]), 1 << 20, RegionOption.KEEP_FILE)) {
            shm.findOrCreate("counter", BenchCounter.class);
        }
    }
}
