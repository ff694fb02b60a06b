package dev.sharedstruct.cli;

import dev.sharedstruct.RegionInspector;
import dev.sharedstruct.SharedMemory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/** Opens the region a subcommand names, refusing at once what plainly is not one. */
final class Regions {
    private static final byte[] MAGIC = "SHSTRUCT".getBytes(StandardCharsets.US_ASCII);
    /** The region header's size: a shorter file cannot be a region. */
    private static final long HEADER_BYTES = 256;

    private Regions() {
    }

    /**
     * Maps the region at {@code path}. The runtime waits for a region whose creator is still
     * writing its header; a file that does not start with the magic is refused here without waiting.
     */
    static SharedMemory open(Path path) {
        if (!Files.exists(path)) {
            throw new BadInput("no such file: " + path);
        }
        if (!Files.isRegularFile(path)) {
            throw new BadInput(path + " is not a region file (it is a directory or a device)");
        }
        try {
            long size = Files.size(path);
            if (size < HEADER_BYTES) {
                throw new BadInput(path + " is not a sharedstruct region: it has " + size + " bytes, less than a region header");
            }
            byte[] start = new byte[MAGIC.length];
            try (InputStream in = Files.newInputStream(path)) {
                if (in.readNBytes(start, 0, start.length) != start.length || !Arrays.equals(start, MAGIC)) {
                    throw new BadInput(path + " is not a sharedstruct region: it does not start with \"SHSTRUCT\"");
                }
            }
        } catch (IOException e) {
            throw new BadInput("cannot read " + path + ": " + e.getMessage());
        }
        return SharedMemory.open(path);
    }

    /** Runs {@code work} on an inspector of the region at {@code path}, then unmaps it. */
    static <T> T inspect(Path path, Function<RegionInspector, T> work) {
        try (SharedMemory memory = open(path)) {
            return work.apply(RegionInspector.of(memory));
        }
    }
}
