package dev.sharedstruct.tests;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's {@code tools/} scripts from whichever module directory the tests run in. */
final class Tools {
    private Tools() {
    }

    static Path script(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("tools").resolve(name);
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("tools/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
