package dev.sharedstruct.cli;

import dev.sharedstruct.RegionInspector;
import dev.sharedstruct.SharedMemory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code watch REGION [NAME...]}: the {@code ls} view, or the named objects' values with the
 * rate of change per second of each number, refreshed in place on a terminal (like top) and
 * printed again and again otherwise.
 */
@Command(name = "watch", description = "Refreshes the ls view, or named objects' values with rates per second, in place on a terminal.")
final class WatchCommand implements Callable<Integer> {
    private static final String HOME_AND_CLEAR = "\033[H\033[2J";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REGION", description = "The region file.")
    Path region;

    @Parameters(index = "1..*", paramLabel = "NAME", description = "Objects to show; none: the ls view.")
    List<String> names = new ArrayList<>();

    @Option(names = "--interval", paramLabel = "T", defaultValue = "500ms", converter = Intervals.class,
            description = "Time between refreshes: 500ms, 2s (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N refreshes (default: until Ctrl-C).")
    Integer count;

    @Option(names = "--plain", description = "Repeated output even on a terminal.")
    boolean plain;

    /** The previous sample of each number, to compute rates from. */
    private final Map<String, Double> previous = new HashMap<>();
    private long previousNanos;

    @Override
    public Integer call() throws InterruptedException {
        if (interval.toMillis() < 10) {
            throw new BadInput("--interval must be at least 10ms, not " + interval.toMillis() + "ms");
        }
        if (count != null && count < 1) {
            throw new BadInput("--count must be at least 1, not " + count);
        }
        boolean inPlace = !plain && System.console() != null && System.console().isTerminal();
        PrintWriter out = spec.commandLine().getOut();
        try (SharedMemory memory = Regions.open(region)) {
            RegionInspector inspector = RegionInspector.of(memory);
            for (String name : names) {
                ShowCommand.find(inspector, name);
            }
            for (int frame = 1; count == null || frame <= count; frame++) {
                if (!Files.exists(region)) {
                    out.println(region + " was removed; stopping");
                    return Main.OK;
                }
                List<String> lines = frame(inspector);
                out.print(inPlace ? HOME_AND_CLEAR : frame > 1 ? "\n" : "");
                out.println(String.join("\n", lines));
                out.flush();
                if (count == null || frame < count) {
                    Thread.sleep(interval);
                }
            }
        }
        return Main.OK;
    }

    private List<String> frame(RegionInspector inspector) {
        List<String> lines = new ArrayList<>();
        lines.add("sharedstruct watch " + region + "  every " + interval.toMillis() + "ms  " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                + "  (" + Render.RAW_NOTE + ")");
        if (names.isEmpty()) {
            lines.addAll(LsCommand.text(inspector));
            return lines;
        }
        long now = System.nanoTime();
        double seconds = previousNanos == 0 ? 0 : (now - previousNanos) / 1e9;
        for (String name : names) {
            lines.add("\"" + name + "\":");
            Map<String, Object> leaves = ShowCommand.leaves(inspector, name);
            leaves.forEach((path, value) -> {
                String key = name + "/" + path;
                String rate = "";
                if (value instanceof Number number) {
                    double current = number.doubleValue();
                    Double before = previous.put(key, current);
                    if (before != null && seconds > 0) {
                        rate = String.format(Locale.ROOT, "  %+.1f/s", (current - before) / seconds);
                    }
                }
                lines.add("  " + (path.isEmpty() ? "value" : path) + " = " + Render.scalar(value) + rate);
            });
        }
        previousNanos = now;
        return lines;
    }
}
