package dev.outflow.sink.partition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Encodes values taken from data into one path segment {@code name=value}, Hive style. Whatever the value holds,
 * the result is a single, valid segment: separators and characters that are special in shells, URLs or query
 * engines are percent-encoded ({@code /} becomes {@code %2F}, {@code %} becomes {@code %25}), so a value can never
 * add a directory level or climb out of the output root. Unicode letters are kept. NULL and the empty string
 * become {@value #NULL_VALUE}, as Hive, Spark and Trino expect.
 */
public final class PathValues {

    public static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";
    /** File systems limit a name to 255 bytes; longer segments are cut and made unique with a hash. */
    static final int MAX_SEGMENT_BYTES = 200;

    private PathValues() {
    }

    public static String segment(String name, Object value) {
        String encodedValue = value == null || value.toString().isEmpty() ? NULL_VALUE : escape(value.toString());
        return limit(escape(name) + "=" + encodedValue);
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (needsEscape(c)) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    sb.append('%').append(String.format("%02X", b & 0xff));
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    // Hive's escape set (FileUtils.escapePathName) plus the space-like and control characters.
    private static boolean needsEscape(char c) {
        return c < 0x20 || c == 0x7f || "\"#%'*/:=?\\{}[]^<>|".indexOf(c) >= 0;
    }

    private static String limit(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_SEGMENT_BYTES) {
            return segment;
        }
        String hash = sha256(segment).substring(0, 16);
        // Cut on a character boundary so the result stays valid UTF-8.
        StringBuilder cut = new StringBuilder();
        int used = 0;
        for (int i = 0; i < segment.length(); ) {
            int cp = segment.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + len > MAX_SEGMENT_BYTES - hash.length() - 1) {
                break;
            }
            cut.appendCodePoint(cp);
            used += len;
            i += Character.charCount(cp);
        }
        return cut + "~" + hash;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
