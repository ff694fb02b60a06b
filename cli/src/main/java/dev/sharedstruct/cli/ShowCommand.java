package dev.sharedstruct.cli;

import dev.sharedstruct.RegionInspector;
import dev.sharedstruct.RegionInspector.NamedObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code show REGION NAME [--field F]}: an object's values, decoded from what the region stores. */
@Command(name = "show", description = "Shows a named object's fields and values, decoded from the layout the region stores.")
final class ShowCommand implements Callable<Integer> {
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d{1,9})]");
    private static final Pattern PATH = Pattern.compile("[^.\\[\\]]+(\\[\\d{1,9}])*(\\.[^.\\[\\]]+(\\[\\d{1,9}])*)*|(\\[\\d{1,9}])+(\\.[^.\\[\\]]+(\\[\\d{1,9}])*)*");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REGION", description = "The region file.")
    Path region;

    @Parameters(index = "1", paramLabel = "NAME", description = "The object's name.")
    String name;

    @Option(names = "--field", paramLabel = "F", description = "Only this field: x, origin.x, samples[2], corners[1].y.")
    String field;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "16", description = "Array elements shown in text (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "One JSON document (shape in docs/CLI.md), arrays in full.")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new BadInput("--limit must be at least 1, not " + limit);
        }
        String output = Regions.inspect(region, inspector -> {
            NamedObject object = find(inspector, name);
            Object value = select(Decoder.decode(inspector, object), field, object.name());
            return json ? Json.write(json(object, field, value)) : String.join("\n", text(object, field, value, limit));
        });
        spec.commandLine().getOut().println(output);
        return Main.OK;
    }

    static NamedObject find(RegionInspector inspector, String name) {
        return inspector.find(name).orElseThrow(() -> {
            List<String> names = inspector.namedObjects().reversed().stream().map(NamedObject::name).toList();
            return new BadInput("no object named \"" + name + "\" in " + inspector.path()
                    + (names.isEmpty() ? " (it has none)" : "; it has: " + String.join(", ", names.stream().limit(20).toList())));
        });
    }

    /** The part of a decoded value that {@code path} names ({@code origin.x}, {@code corners[1].y}); all when null. */
    static Object select(Object value, String path, String object) {
        if (path == null) {
            return value;
        }
        if (!PATH.matcher(path).matches() || path.endsWith(".")) {
            throw new BadInput("--field " + path + " is not a field path like x, origin.x, samples[2] or corners[1].y");
        }
        Matcher step = STEP.matcher(path);
        Object current = value;
        int end = 0;
        while (step.find()) {
            end = step.end();
            if (step.group(1) != null) {
                if (!(current instanceof Map<?, ?> map) || !map.containsKey(step.group(1))) {
                    throw new BadInput("\"" + object + "\" has no field " + path.substring(0, end) + fieldsOf(current));
                }
                current = map.get(step.group(1));
            } else {
                int index = Integer.parseInt(step.group(2));
                if (!(current instanceof List<?> list) || index >= list.size()) {
                    throw new BadInput("\"" + object + "\": " + path.substring(0, end) + " is out of range"
                            + (current instanceof List<?> list ? " (" + list.size() + " elements)" : " (not an array)"));
                }
                current = list.get(index);
            }
        }
        return current;
    }

    private static String fieldsOf(Object value) {
        return value instanceof Map<?, ?> map ? "; fields there: " + String.join(", ", map.keySet().stream().map(String::valueOf).toList()) : "";
    }

    static Map<String, Object> json(NamedObject object, String field, Object value) {
        Map<String, Object> json = Render.objectJson(object);
        json.put("raw", true);
        json.put("field", field);
        json.put("value", Render.valueJson(value));
        return json;
    }

    static List<String> text(NamedObject object, String field, Object value, int limit) {
        List<String> lines = new ArrayList<>();
        lines.add("\"" + object.name() + "\": " + object.kind() + " " + object.type()
                + (object.kind().contains("array") || object.kind().equals("string") ? ", " + object.length() + " elements" : "")
                + ", " + object.size() + " bytes at offset " + object.offset() + ", lock " + Render.lock(object.lock()));
        lines.add("(" + Render.RAW_NOTE + ")");
        String label = field == null ? object.name() : field;
        if (value instanceof Map<?, ?> map && field == null) {
            map.forEach((k, v) -> lines.addAll(Render.valueLines(String.valueOf(k), v, limit, "  ")));
        } else {
            lines.addAll(Render.valueLines(label, value, limit, "  "));
        }
        return lines;
    }

    /** For watch: the decoded value of a named object, by its leaves. */
    static Map<String, Object> leaves(RegionInspector inspector, String name) {
        NamedObject object = find(inspector, name);
        Map<String, Object> leaves = new LinkedHashMap<>();
        Render.leaves("", Decoder.decode(inspector, object), leaves);
        return leaves;
    }
}
