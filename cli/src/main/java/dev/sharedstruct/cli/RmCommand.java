package dev.sharedstruct.cli;

import dev.sharedstruct.RegionInspector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rm REGION NAME}: frees a named object unless it is in use. */
@Command(name = "rm", description = "Frees a named object, refusing (changing nothing, exit status 1) when it is in use.")
final class RmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REGION", description = "The region file.")
    Path region;

    @Parameters(index = "1", paramLabel = "NAME", description = "The object's name.")
    String name;

    @Option(names = "--timeout", paramLabel = "T", defaultValue = "2s", converter = Intervals.class,
            description = "How long to wait for the region lock (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        Regions.inspect(region, inspector -> {
            ShowCommand.find(inspector, name);
            remove(inspector);
            return null;
        });
        spec.commandLine().getOut().println("removed \"" + name + "\" from " + region);
        return Main.OK;
    }

    private void remove(RegionInspector inspector) {
        try {
            inspector.remove(name, timeout);
        } catch (IllegalStateException e) {
            throw new Refusal(e.getMessage(), e);
        }
    }
}
