package dev.sharedstruct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where region files live and how they are created and opened: owner-only, created new, never
 * through a symbolic link, never someone else's, never group- or world-writable; except for
 * regions created with {@link RegionOption#GROUP_SHARED} (mode 0660), which members of the
 * file's group may open too.
 */
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

    /** A new, uniquely named path in {@link #defaultDirectory()}, created with {@link #createNew}. */
    static Created createUnique(boolean groupShared) {
        Path directory = defaultDirectory();
        for (int attempt = 0; ; attempt++) {
            byte[] random = new byte[8];
            ThreadLocalRandom.current().nextBytes(random);
            Path path = directory.resolve("sharedstruct-" + ThreadToken.PID + "-" + HexFormat.of().formatHex(random) + ".region");
            try {
                return new Created(path, createNew(path, groupShared));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw new UncheckedIOException("cannot find a free region file name in " + directory, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a region file in " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Creates {@code path} with mode 0600, or 0660 when {@code groupShared} (set after creation,
     * so that the umask does not take the group's write bit away); fails if anything, even a
     * dangling link, is there.
     */
    static FileChannel createNew(Path path, boolean groupShared) throws IOException {
        FileChannel channel = FileChannel.open(path,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                OWNER_ONLY);
        if (groupShared) {
            try {
                Files.setPosixFilePermissions(path, GROUP_SHARED);
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(path);
                throw e;
            }
        }
        return channel;
    }

    /** Mode 0660: what {@link RegionOption#GROUP_SHARED} creates, and the only group-writable mode opened. */
    static final Set<PosixFilePermission> GROUP_SHARED = Set.copyOf(EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE));

    /**
     * Opens an existing region file for reading and writing, after checking that it is a regular
     * file of this user (not a link, not a directory, not someone else's).
     *
     * @throws InvalidRegionException naming the file and what is wrong with it
     */
    static FileChannel openExisting(Path path) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new InvalidRegionException("region file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new InvalidRegionException("cannot read the attributes of region file " + path + ": " + e.getMessage(), e);
        }
        if (attributes.isSymbolicLink()) {
            throw new InvalidRegionException(path + " is a symbolic link; open the region file itself, not a link to it");
        }
        if (attributes.isDirectory()) {
            throw new InvalidRegionException(path + " is a directory, not a region file");
        }
        if (!attributes.isRegularFile()) {
            throw new InvalidRegionException(path + " is not a regular file, so it is not a region file");
        }
        Set<PosixFilePermission> mode = attributes.permissions();
        boolean groupShared = mode.equals(GROUP_SHARED);
        if (!groupShared && (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE))) {
            throw new InvalidRegionException(path + " has mode " + PosixFilePermissions.toString(mode)
                    + ": it is writable by " + (mode.contains(PosixFilePermission.OTHERS_WRITE) ? "every user" : "its group")
                    + ", so anyone could have changed it; a region is owner-only (rw-------), or rw-rw---- when created with"
                    + " RegionOption.GROUP_SHARED");
        }
        int owner = uidOf(path);
        int self = currentUid();
        if (owner != self && !(groupShared && ProcessIdentity.groups().contains(gidOf(path)))) {
            throw new InvalidRegionException(path + " belongs to user " + attributes.owner().getName() + " (uid " + owner
                    + "), not to this process's user (uid " + self + "); regions are private to their owner"
                    + (groupShared ? ", or shared with the file's group (gid " + gidOf(path) + "), which this process is not in"
                            : ", unless created with RegionOption.GROUP_SHARED"));
        }
        try {
            // NOFOLLOW_LINKS again: the file cannot have become a link between the check and the open.
            return FileChannel.open(path, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new InvalidRegionException("cannot open region file " + path + ": " + e.getMessage(), e);
        }
    }

    private static int gidOf(Path path) {
        try {
            return (int) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new InvalidRegionException("cannot read the group of " + path + ": " + e.getMessage(), e);
        }
    }

    private static int uidOf(Path path) {
        try {
            return (int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new InvalidRegionException("cannot read the owner of " + path + ": " + e.getMessage(), e);
        }
    }

    /** This process's user id: the owner of {@code /proc/self} on Linux. */
    private static int currentUid() {
        try {
            return (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot tell this process's user id from /proc/self", e);
        }
    }

    /** A file just created and its open channel. */
    record Created(Path path, FileChannel channel) {
    }
}
