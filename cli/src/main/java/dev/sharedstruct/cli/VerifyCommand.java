package dev.sharedstruct.cli;

import dev.sharedstruct.RegionReport;
import dev.sharedstruct.SharedMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code verify REGION}: the region's own consistency check; exit status 0 when consistent, 1 when not. */
@Command(name = "verify", description = {"Runs the region's verify() check: exit status 0 when consistent, 1 when not.",
        "Takes the region lock to do so, and so writes its lock cell, and first repairs what a holder that died left owed,"
                + " as any Java process taking that lock does (docs/CLI.md)."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ReportOptions options;

    /**
     * Not read-only, unlike the other reports: {@code SharedMemory.verify()} takes the region lock,
     * and with it the repair a dead holder left owed (docs/CLI.md, "Reading without disturbing").
     */
    @Override
    public Integer call() {
        RegionReport report;
        try (SharedMemory memory = Regions.open(options.region)) {
            report = memory.verify();
        }
        spec.commandLine().getOut().println(options.render(() -> json(options.region, report), () -> text(options.region, report)));
        return report.consistent() ? Main.OK : Main.NO;
    }

    static Map<String, Object> json(Path region, RegionReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("region", region.toString());
        json.put("consistent", report.consistent());
        json.put("problems", report.problems());
        json.put("usedBytes", report.usedBytes());
        json.put("freeBytes", report.freeBytes());
        json.put("blocks", report.blocks());
        json.put("namedObjects", report.namedObjects());
        return json;
    }

    static List<String> text(Path region, RegionReport report) {
        List<String> lines = new ArrayList<>();
        lines.add(region + ": " + (report.consistent() ? "consistent" : report.problems().size() + " problem"
                + (report.problems().size() == 1 ? "" : "s")));
        report.problems().forEach(problem -> lines.add("  " + problem));
        lines.add(report.blocks() + " blocks, " + report.namedObjects() + " named objects, " + report.usedBytes() + " bytes used, "
                + report.freeBytes() + " free");
        return lines;
    }
}
