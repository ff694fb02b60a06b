package dev.sharedstruct.cli;

import java.util.List;
import java.util.Map;

/** Writes maps, lists, strings, numbers, booleans and null as one JSON document. */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder text = new StringBuilder();
        write(value, text, "");
        return text.toString();
    }

    private static void write(Object value, StringBuilder text, String indent) {
        switch (value) {
            case null -> text.append("null");
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    text.append("{}");
                    return;
                }
                text.append("{\n");
                String inner = indent + "  ";
                int i = 0;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    text.append(inner);
                    string(String.valueOf(entry.getKey()), text);
                    text.append(": ");
                    write(entry.getValue(), text, inner);
                    text.append(++i < map.size() ? ",\n" : "\n");
                }
                text.append(indent).append('}');
            }
            case List<?> list -> {
                text.append('[');
                for (int i = 0; i < list.size(); i++) {
                    text.append(i == 0 ? "" : ", ");
                    write(list.get(i), text, indent);
                }
                text.append(']');
            }
            case Double d when d.isNaN() || d.isInfinite() -> string(d.toString(), text);
            case Float f when f.isNaN() || f.isInfinite() -> string(f.toString(), text);
            case Number number -> text.append(number);
            case Boolean bool -> text.append(bool);
            default -> string(value.toString(), text);
        }
    }

    private static void string(String value, StringBuilder text) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validSurrogate(value, i)) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }

    private static boolean validSurrogate(String value, int i) {
        char c = value.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }
}
