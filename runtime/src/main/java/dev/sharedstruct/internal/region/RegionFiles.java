package dev.sharedstruct.internal.region;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
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
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.internal.lock.ProcessIdentity;
import dev.sharedstruct.internal.lock.ThreadToken;

/**
 * Where region files live and how they are created and opened: owner-only, created new, never
 * through a symbolic link, never someone else's, never group- or world-writable; except for
 * regions created with {@link RegionOption#GROUP_SHARED} (mode 0660), which members of the
 * file's group may open too.
 */
public final class RegionFiles {
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

    /** A new, random region file name in {@link #defaultDirectory()}; created with {@code create}, which refuses a taken one. */
    public static Path uniquePath() {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return defaultDirectory().resolve("sharedstruct-" + ThreadToken.PID + "-" + HexFormat.of().formatHex(random) + ".region");
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
    public static FileChannel openExisting(Path path) {
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

    /**
     * A new file beside {@code target}, named after it with a leading dot, this process's id and a
     * random suffix: a region is built there completely and then published with {@link #publish},
     * so that no process ever sees a half-built region at {@code target}. A creator killed while
     * building leaves only such a temporary file, never a file at {@code target}.
     */
    public static Created createTemporaryBeside(Path target, boolean groupShared) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        removeAbandonedTemporaries(directory, target.getFileName().toString());
        for (int attempt = 0; ; attempt++) {
            byte[] random = new byte[8];
            ThreadLocalRandom.current().nextBytes(random);
            Path temporary = directory.resolve("." + target.getFileName() + "." + ThreadToken.PID + "-"
                    + HexFormat.of().formatHex(random) + ".creating");
            try {
                return new Created(temporary, createNew(temporary, groupShared));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * Deletes temporary files that creators of {@code name} left when they were killed before
     * publishing: those whose process id names no live process. Best effort.
     */
    private static void removeAbandonedTemporaries(Path directory, String name) {
        String prefix = "." + name + ".";
        try (var temporaries = Files.newDirectoryStream(directory, path -> {
            String file = path.getFileName().toString();
            return file.startsWith(prefix) && file.endsWith(".creating");
        })) {
            for (Path temporary : temporaries) {
                String rest = temporary.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(rest.substring(0, Math.max(dash, 0)));
                    if (pid != ThreadToken.PID && ProcessHandle.of(pid).isEmpty()) {
                        Files.deleteIfExists(temporary);
                    }
                } catch (NumberFormatException | IOException ignored) {
                    // Not one of ours, or gone already.
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException ignored) {
            // Cleaning up is a courtesy; creating does not depend on it.
        }
    }

    /**
     * Makes the complete file {@code temporary} appear at {@code target} in one step, and removes
     * the temporary name. {@code link(2)} fails when anything is at {@code target}, so of several
     * processes publishing at once exactly one wins; the others get
     * {@link FileAlreadyExistsException} and open the winner's file. Where hard links are not
     * supported, a rename without replacement is used (its existence check and rename are not one
     * step there).
     */
    public static void publish(Path temporary, Path target) throws IOException {
        try {
            try {
                Files.createLink(target, temporary);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException exists) {
                    throw exists;
                }
                Files.move(temporary, target);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A file just created and its open channel. */
    public record Created(Path path, FileChannel channel) {
    }
}
