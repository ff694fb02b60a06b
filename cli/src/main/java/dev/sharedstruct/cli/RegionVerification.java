package dev.sharedstruct.cli;

import dev.sharedstruct.SharedMemory;
import java.util.List;
import java.util.Optional;

/**
 * The bridge to the runtime's {@code SharedMemory.verify()} (issue "integrity"), which returns a
 * {@code RegionReport} with {@code consistent()}, {@code problems()}, {@code usedBytes()},
 * {@code freeBytes()}, {@code blocks()} and {@code namedObjects()}.
 *
 * <p>This build's runtime does not have it yet, so {@link #verify} says so (exit status 2). Once
 * it does, {@link #verify}'s body becomes the one line in its comment; nothing else changes.
 */
final class RegionVerification {
    private RegionVerification() {
    }

    /** What verify found; the fields of the runtime's RegionReport. */
    record Report(boolean consistent, List<String> problems, long usedBytes, long freeBytes, long blocks, long namedObjects) {
        Report {
            problems = List.copyOf(problems);
        }
    }

    /** The region's own verify() report, or empty when this runtime has none. */
    static Optional<Report> verify(SharedMemory memory) {
        // var r = memory.verify(); return Optional.of(new Report(r.consistent(), r.problems().stream().map(String::valueOf).toList(), r.usedBytes(), r.freeBytes(), r.blocks(), r.namedObjects()));
        return Optional.empty();
    }
}
