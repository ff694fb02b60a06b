package dev.sharedstruct.cli;

import dev.sharedstruct.RegionInspector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A read-only view of a region printed once, as text or as one JSON document: the shape shared by
 * {@code ls}, {@code locks} and {@code stats}, which differ only in what they read.
 */
abstract class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REGION", description = "The region file.")
    Path region;

    @Option(names = "--json", description = "One JSON document (shape in docs/CLI.md).")
    boolean json;

    /** The JSON document of this view. */
    abstract Map<String, Object> document(RegionInspector inspector);

    /** The text lines of this view. */
    abstract List<String> lines(RegionInspector inspector);

    @Override
    public final Integer call() {
        String output = Regions.inspect(region, inspector -> json ? Json.write(document(inspector)) : String.join("\n", lines(inspector)));
        spec.commandLine().getOut().println(output);
        return Main.OK;
    }
}
