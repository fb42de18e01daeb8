package dev.outflow.sink.format;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Makes names from Connect schemas valid Avro names ({@code [A-Za-z_][A-Za-z0-9_]*}). */
final class AvroNames {

    private AvroNames() {
    }

    static String valid(String name) {
        if (name.isEmpty()) {
            return "_";
        }
        StringBuilder sb = new StringBuilder(name.length() + 1);
        if (!isLetter(name.charAt(0)) && name.charAt(0) != '_') {
            sb.append('_');
        }
        for (char c : name.toCharArray()) {
            sb.append(isLetter(c) || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        return sb.toString();
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    static String validDotted(String dotted) {
        return Arrays.stream(dotted.split("\\.", -1)).map(AvroNames::valid).collect(Collectors.joining("."));
    }
}
