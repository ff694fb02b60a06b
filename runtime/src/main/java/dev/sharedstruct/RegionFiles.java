package dev.sharedstruct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Where region files live and how they are created: owner-only, new, never through a link. */
final class RegionFiles {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

    private RegionFiles() {
    }

    /** {@code /dev/shm} where it exists (memory-backed on Linux), else the temporary directory. */
    static Path defaultDirectory() {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** A new, uniquely named file in {@link #defaultDirectory()}, opened for mapping. */
    static Created createUnique() {
        Path directory = defaultDirectory();
        for (int attempt = 0; ; attempt++) {
            byte[] random = new byte[8];
            ThreadLocalRandom.current().nextBytes(random);
            Path path = directory.resolve("sharedstruct-" + ThreadToken.PID + "-" + HexFormat.of().formatHex(random) + ".region");
            try {
                return new Created(path, createNew(path));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw new UncheckedIOException("cannot find a free region file name in " + directory, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a region file in " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    /** Creates {@code path} with mode 0600; fails if anything, even a dangling link, is there. */
    static FileChannel createNew(Path path) throws IOException {
        return FileChannel.open(path,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                OWNER_ONLY);
    }

    /** A file just created and its open channel. */
    record Created(Path path, FileChannel channel) {
    }
}
