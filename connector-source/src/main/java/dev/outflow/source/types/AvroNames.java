package dev.outflow.source.types;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Turns PostgreSQL names into names Avro accepts ({@code [A-Za-z_][A-Za-z0-9_]*}), because records must survive
 * the Avro converter. Columns such as {@code "Order Date"} become {@code Order_Date}.
 */
public final class AvroNames {

    private AvroNames() {
    }

    /** A valid Avro simple name for {@code name}: invalid characters become '_', a leading digit gets a '_'. */
    public static String sanitize(String name) {
        if (name.isEmpty()) {
            return "_";
        }
        StringBuilder sb = new StringBuilder(name.length() + 1);
        if (!isStart(name.charAt(0))) {
            sb.append('_');
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(isPart(c) ? c : '_');
        }
        return sb.toString();
    }

    /** A valid Avro full name: each dot-separated part sanitized. */
    public static String fullName(String dotted) {
        return Arrays.stream(dotted.split("\\.", -1)).map(AvroNames::sanitize).collect(Collectors.joining("."));
    }

    private static boolean isStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isPart(char c) {
        return isStart(c) || (c >= '0' && c <= '9');
    }
}
