package dev.sharedstruct.cli;

import dev.sharedstruct.LockState;
import dev.sharedstruct.RegionInspector.NamedObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Text and JSON shapes shared by the subcommands (documented in docs/CLI.md). */
final class Render {
    /** Said wherever values are shown: they were read without the object's lock. */
    static final String RAW_NOTE = "values read raw (no lock taken): a value may be mid-update";

    private Render() {
    }

    /** {@code free}, {@code held by pid 12 thread 3 (dead)}, or {@code raw} for an object without a lock. */
    static String lock(LockState lock) {
        return lock == null ? "raw" : lock.summary();
    }

    static Map<String, Object> lockJson(LockState lock) {
        if (lock == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("offset", lock.offset());
        json.put("usedBy", lock.usedBy());
        json.put("state", lock.held() ? "held" : "free");
        json.put("ownerPid", lock.ownerPid());
        json.put("ownerThread", lock.ownerThread());
        json.put("owner", lock.owner().label());
        json.put("holds", lock.holds());
        json.put("waiters", lock.waiters());
        json.put("recoveries", lock.recoveries());
        return json;
    }

    static Map<String, Object> objectJson(NamedObject object) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", object.name());
        json.put("kind", object.kind());
        json.put("type", object.type());
        json.put("length", object.length());
        json.put("size", object.size());
        json.put("offset", object.offset());
        json.put("lock", lockJson(object.lock()));
        return json;
    }

    /** Values for JSON: chars become one-character strings. */
    static Object valueJson(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                Map<String, Object> json = new LinkedHashMap<>();
                map.forEach((k, v) -> json.put(String.valueOf(k), valueJson(v)));
                yield json;
            }
            case List<?> list -> list.stream().map(Render::valueJson).toList();
            case Character c -> String.valueOf(c);
            default -> value;
        };
    }

    /** Lines showing a decoded value: {@code name = value}, nested structs indented, arrays cut at {@code limit}. */
    static List<String> valueLines(String name, Object value, int limit, String indent) {
        List<String> lines = new ArrayList<>();
        switch (value) {
            case Map<?, ?> map -> {
                lines.add(indent + name + ":");
                map.forEach((k, v) -> lines.addAll(valueLines(String.valueOf(k), v, limit, indent + "  ")));
            }
            case List<?> list when !list.isEmpty() && list.getFirst() instanceof Map<?, ?> -> {
                lines.add(indent + name + ": " + list.size() + " elements");
                for (int i = 0; i < Math.min(limit, list.size()); i++) {
                    lines.addAll(valueLines("[" + i + "]", list.get(i), limit, indent + "  "));
                }
                if (list.size() > limit) {
                    lines.add(indent + "  ... " + (list.size() - limit) + " more (--limit shows more)");
                }
            }
            case List<?> list -> {
                List<String> shown = list.stream().limit(limit).map(Render::scalar).toList();
                lines.add(indent + name + " = [" + String.join(", ", shown)
                        + (list.size() > limit ? ", ... " + (list.size() - limit) + " more" : "") + "]");
            }
            default -> lines.add(indent + name + " = " + scalar(value));
        }
        return lines;
    }

    static String scalar(Object value) {
        return switch (value) {
            case String s -> quoted(s);
            case Character c -> "'" + (c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : c) + "'";
            default -> String.valueOf(value);
        };
    }

    private static String quoted(String s) {
        StringBuilder text = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                text.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                text.append(String.format("\\u%04x", c));
            } else {
                text.appendCodePoint(c);
            }
        });
        return text.append('"').toString();
    }

    /** Leaves of a decoded value by path ({@code origin.x}, {@code samples[2]}), for watch's rates. */
    static void leaves(String path, Object value, Map<String, Object> out) {
        switch (value) {
            case Map<?, ?> map -> map.forEach((k, v) -> leaves(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, out));
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    leaves(path + "[" + i + "]", list.get(i), out);
                }
            }
            default -> out.put(path, value);
        }
    }

    /** Left-aligned columns. */
    static List<String> table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (List<String> row : concat(header, rows)) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : concat(header, rows)) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
