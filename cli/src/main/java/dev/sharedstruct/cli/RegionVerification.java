package dev.sharedstruct.cli;

import dev.sharedstruct.SharedMemory;
import java.util.List;
import java.util.Optional;

/**
 * The bridge to the runtime's {@code SharedMemory.verify()} (issue "integrity"), which returns a
 * {@code RegionReport} with {@code consistent()}, {@code problems()}, {@code usedBytes()},
 * {@code freeBytes()}, {@code blocks()} and {@code namedObjects()}.
 *
 * <p>The optional stays so that a runtime without {@code verify()} could still be reported on
 * clearly; this build's runtime always has it.
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
        var r = memory.verify();
        return Optional.of(new Report(r.consistent(), r.problems(), r.usedBytes(), r.freeBytes(), r.blocks(), r.namedObjects()));
    }
}
