package dev.sharedstruct.cli;

import dev.sharedstruct.RegionInspector;
import dev.sharedstruct.RegionInspector.NamedObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code ls REGION}: every named object with its kind, type, size, place and lock. */
@Command(name = "ls", description = "Lists the named objects of a region, with their locks.")
final class LsCommand extends InspectCommand {
    LsCommand() {
        super(LsCommand::json, LsCommand::text);
    }

    static Map<String, Object> json(RegionInspector inspector) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("region", inspector.path().toString());
        json.put("raw", true);
        json.put("objects", inspector.namedObjects().reversed().stream().map(Render::objectJson).toList());
        return json;
    }

    static List<String> text(RegionInspector inspector) {
        List<NamedObject> objects = inspector.namedObjects().reversed();
        List<List<String>> rows = new ArrayList<>();
        for (NamedObject object : objects) {
            rows.add(List.of(object.name(), object.kind(), object.type(), Integer.toString(object.length()),
                    Long.toString(object.size()), Long.toString(object.offset()), Render.lock(object.lock())));
        }
        List<String> lines = new ArrayList<>();
        lines.add(inspector.path() + ": " + objects.size() + " named object" + (objects.size() == 1 ? "" : "s")
                + ", " + inspector.size() + " bytes (locks read, not taken)");
        if (!objects.isEmpty()) {
            lines.addAll(Render.table(List.of("NAME", "KIND", "TYPE", "LENGTH", "SIZE", "OFFSET", "LOCK"), rows));
        }
        return lines;
    }
}
