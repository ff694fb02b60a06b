package dev.sharedstruct.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Asks python3's ctypes how it lays out structs: the oracle for our layouts. Runs
 * {@code tools/ctypes_layout.py} from the repository root.
 */
final class CtypesOracle {
    /** A struct to lay out: a name and (field, ctypes type) pairs, e.g. ("b", "c_int32*4"). */
    record CStruct(String name, List<List<String>> fields) {
        static CStruct of(String name, String... fieldAndType) {
            List<List<String>> fields = new java.util.ArrayList<>();
            for (int i = 0; i < fieldAndType.length; i += 2) {
                fields.add(List.of(fieldAndType[i], fieldAndType[i + 1]));
            }
            return new CStruct(name, fields);
        }
    }

    /** What ctypes computed for one struct. */
    record Layout(long size, long alignment, Map<String, Long> offsets, Map<String, Long> sizes) {
    }

    private CtypesOracle() {
    }

    static Map<String, Layout> layouts(List<CStruct> structs) throws IOException, InterruptedException {
        String request = structs.stream()
                .map(s -> "{\"name\": \"" + s.name() + "\", \"fields\": [" + s.fields().stream()
                        .map(f -> "[\"" + f.get(0) + "\", \"" + f.get(1) + "\"]")
                        .collect(Collectors.joining(", ")) + "]}")
                .collect(Collectors.joining(", ", "{\"structs\": [", "]}"));
        Process python = new ProcessBuilder("python3", Tools.script("ctypes_layout.py").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        python.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!python.waitFor(60, TimeUnit.SECONDS) || python.exitValue() != 0) {
            throw new IllegalStateException("python3 ctypes_layout.py failed: " + output);
        }
        Map<String, Layout> layouts = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "struct" -> layouts.put(words[1], new Layout(Long.parseLong(words[2]), Long.parseLong(words[3]),
                        new HashMap<>(), new HashMap<>()));
                case "field" -> {
                    Layout layout = layouts.get(words[1]);
                    layout.offsets().put(words[2], Long.parseLong(words[3]));
                    layout.sizes().put(words[2], Long.parseLong(words[4]));
                }
                default -> throw new IllegalStateException("unexpected line from python3: " + line);
            }
        }
        return layouts;
    }
}
