package dev.sharedstruct.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The arguments of the one-shot reports ({@code ls}, {@code locks}, {@code stats}, {@code verify}):
 * the region, and whether to print one JSON document instead of text. A picocli mixin, so that the
 * four spell them, and describe them, alike.
 */
final class ReportOptions {
    @Parameters(index = "0", paramLabel = "REGION", description = "The region file.")
    Path region;

    @Option(names = "--json", description = "One JSON document (shape in docs/CLI.md).")
    boolean json;

    /** The report as the user asked for it: {@code document} as JSON, or {@code lines} joined. */
    String render(Supplier<Map<String, Object>> document, Supplier<List<String>> lines) {
        return json ? Json.write(document.get()) : String.join("\n", lines.get());
    }
}
