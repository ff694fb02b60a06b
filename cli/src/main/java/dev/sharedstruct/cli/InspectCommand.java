package dev.sharedstruct.cli;

import dev.sharedstruct.RegionInspector;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A read-only view of a region printed once, as text or as one JSON document: the shape shared by
 * {@code ls}, {@code locks} and {@code stats}, which differ only in what they read.
 */
abstract class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ReportOptions options;

    private final Function<RegionInspector, Map<String, Object>> document;
    private final Function<RegionInspector, List<String>> lines;

    /** A view given by its JSON document and its text lines, both read from the region. */
    InspectCommand(Function<RegionInspector, Map<String, Object>> document, Function<RegionInspector, List<String>> lines) {
        this.document = document;
        this.lines = lines;
    }

    @Override
    public final Integer call() {
        String output = Regions.inspect(options.region,
                inspector -> options.render(() -> document.apply(inspector), () -> lines.apply(inspector)));
        spec.commandLine().getOut().println(output);
        return Main.OK;
    }
}
