package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Region files writable by their group or by everyone are refused, unless created with
 * {@link RegionOption#GROUP_SHARED} (mode 0660), which a process of another user in the file's
 * group may then open.
 */
class GroupSharingTest {
    @TempDir
    Path directory;

    private Path keptRegion(String name, RegionOption... options) {
        Path path = directory.resolve(name);
        List<RegionOption> all = new ArrayList<>(List.of(options));
        all.add(RegionOption.KEEP_FILE);
        SharedMemory.create(path, 1 << 16, all.toArray(RegionOption[]::new)).close();
        return path;
    }

    @Test
    void groupAndWorldWritableFilesAreRefusedUnlessGroupShared() throws IOException {
        Path path = keptRegion("modes.region");
        for (String mode : List.of("rw-rw-rw-", "rw-r--rw-", "rw--w----", "rw-rw-r--")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> SharedMemory.open(path), mode);
            assertTrue(e.getMessage().contains("has mode " + mode) && e.getMessage().contains("writable by"), e.getMessage());
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        SharedMemory.open(path).close();

        Path shared = keptRegion("shared.region", RegionOption.GROUP_SHARED);
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)),
                "GROUP_SHARED makes 0660 whatever the umask");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keptRegion("private.region"))));
        SharedMemory.open(shared).close();
    }

    /** Opens the group-shared region of args[0] as another user and sets the counter; then is refused args[1]. */
    static final class OtherUser {
        public static void main(String[] args) {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                shm.attach(args[0], Counter.class).count(42);
            }
            try {
                SharedMemory.open(Path.of(args[1])).close();
                System.exit(2);
            } catch (InvalidRegionException expected) {
                System.exit(expected.getMessage().contains("regions are private to their owner") ? 0 : 3);
            }
        }
    }

    @Test
    void aMemberOfTheFilesGroupOpensAGroupSharedRegion() throws Exception {
        assumeTrue(canSwitchToNobody(), "needs root and setpriv to run a child as user nobody (see docs/SAFETY.md)");
        Path classpath = Files.createTempDirectory("sharedstruct-classpath");
        Path regions = Files.createTempDirectory("sharedstruct-regions");
        try {
            Files.setPosixFilePermissions(regions, PosixFilePermissions.fromString("rwxr-xr-x"));
            GroupPrincipal nogroup = regions.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("nogroup");
            try (SharedMemory shm = SharedMemory.create(regions.resolve("shared.region"), 1 << 16, RegionOption.GROUP_SHARED)) {
                Path private0600 = keptRegionIn(regions.resolve("private.region"));
                Files.getFileAttributeView(shm.path(), java.nio.file.attribute.PosixFileAttributeView.class).setGroup(nogroup);
                Files.getFileAttributeView(private0600, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(nogroup);
                Counter counter = shm.value(Counter.class);
                List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData"));
                if (Structs.class.getModule().isNativeAccessEnabled()) {
                    command.add("--enable-native-access=ALL-UNNAMED");
                }
                command.addAll(List.of("-cp", readableCopy(classpath), OtherUser.class.getName(), Structs.handle(counter),
                        private0600.toString()));
                Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
                byte[] said = child.getInputStream().readAllBytes();
                assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child as nobody ended");
                assertEquals(0, child.exitValue(), new String(said, StandardCharsets.UTF_8));
                assertEquals(42, counter.count(), "user nobody wrote into the group-shared region");
            }
        } finally {
            deleteTree(classpath);
            deleteTree(regions);
        }
    }

    private static Path keptRegionIn(Path path) {
        SharedMemory.create(path, 1 << 16, RegionOption.KEEP_FILE).close();
        return path;
    }

    private static boolean canSwitchToNobody() {
        try {
            Process probe = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "true")
                    .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** This JVM's classpath copied where user nobody can read it (the originals may sit under /root). */
    private static String readableCopy(Path into) throws IOException {
        Files.setPosixFilePermissions(into, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int index = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = into.resolve(index++ + "-" + source.getFileName());
            copyTree(source, target);
            entries.add(target.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
