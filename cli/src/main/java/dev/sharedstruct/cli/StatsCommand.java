package dev.sharedstruct.cli;

import dev.sharedstruct.RegionInspector;
import dev.sharedstruct.RegionInspector.BlockStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code stats REGION}: how the region's space is used. */
@Command(name = "stats", description = "Shows size, used and free bytes, the largest free block, fragmentation and blocks by kind.")
final class StatsCommand extends InspectCommand {
    StatsCommand() {
        super(StatsCommand::json, StatsCommand::text);
    }

    static Map<String, Object> json(RegionInspector inspector) {
        BlockStats stats = inspector.blocks();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("region", inspector.path().toString());
        json.put("size", stats.size());
        json.put("used", stats.used());
        json.put("free", stats.free());
        json.put("largestFree", stats.largestFree());
        json.put("freeBlocks", stats.freeBlocks());
        json.put("fragmentation", stats.fragmentation());
        json.put("namedObjects", stats.namedObjects());
        Map<String, Object> kinds = new LinkedHashMap<>();
        stats.blocksByKind().forEach((kind, count) -> kinds.put(kind, Map.of("blocks", count, "bytes", stats.bytesByKind().get(kind))));
        json.put("blocksByKind", kinds);
        return json;
    }

    static List<String> text(RegionInspector inspector) {
        BlockStats stats = inspector.blocks();
        List<String> lines = new ArrayList<>();
        lines.add(inspector.path() + " (format version " + inspector.formatVersion() + ")");
        lines.add("size           " + stats.size() + " bytes");
        lines.add("used           " + stats.used() + " bytes (" + percent(stats.used(), stats.size()) + ", block headers included)");
        lines.add("free           " + stats.free() + " bytes (" + percent(stats.free(), stats.size()) + ") in " + stats.freeBlocks()
                + " free block" + (stats.freeBlocks() == 1 ? "" : "s") + " and the unallocated tail");
        lines.add("largest free   " + stats.largestFree() + " bytes");
        lines.add("fragmentation  " + String.format(Locale.ROOT, "%.2f", stats.fragmentation())
                + " (0 = all free space in one piece)");
        lines.add("named objects  " + stats.namedObjects());
        List<List<String>> rows = new ArrayList<>();
        stats.blocksByKind().forEach((kind, count) -> rows.add(List.of(kind, Long.toString(count),
                Long.toString(stats.bytesByKind().get(kind)))));
        if (!rows.isEmpty()) {
            lines.add("blocks by kind:");
            Render.table(List.of("KIND", "BLOCKS", "BYTES"), rows).forEach(line -> lines.add("  " + line));
        }
        return lines;
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
