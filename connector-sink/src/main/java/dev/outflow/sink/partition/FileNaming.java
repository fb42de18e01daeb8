package dev.outflow.sink.partition;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object keys of published files: {@code <topics.dir>/<table>/<partition path>/<table>+<kafkaPartition>+<startOffset>.<codec>.parquet}.
 * The name is a function of (table, Kafka partition, first offset), so rewriting the same records after a crash
 * produces the same key. The start offset is zero-padded so names sort in offset order.
 */
public final class FileNaming {

    private static final Pattern FILE_NAME = Pattern.compile("(.+)\\+(\\d+)\\+(\\d+)\\.([a-z0-9]+)\\.parquet");

    private final String topicsDir;
    private final int padWidth;
    private final String codecName;

    /**
     * @param topicsDir top-level prefix, possibly empty; no leading or trailing slash needed
     * @param codecName the codec tag in the extension, e.g. {@code snappy}
     */
    public FileNaming(String topicsDir, int padWidth, String codecName) {
        this.topicsDir = trimSlashes(topicsDir);
        this.padWidth = padWidth;
        this.codecName = codecName;
    }

    /** The prefix every file of a table lives under, ending in '/'. */
    public String tablePrefix(String table) {
        return (topicsDir.isEmpty() ? "" : topicsDir + "/") + table + "/";
    }

    /** A file's key; an empty {@code encodedPartition} puts it straight under the table's directory. */
    public String key(String table, String encodedPartition, int kafkaPartition, long startOffset) {
        return tablePrefix(table) + (encodedPartition.isEmpty() ? "" : encodedPartition + "/")
                + fileName(table, kafkaPartition, startOffset);
    }

    public String fileName(String table, int kafkaPartition, long startOffset) {
        String offset = Long.toString(startOffset);
        String padded = offset.length() >= padWidth ? offset : "0".repeat(padWidth - offset.length()) + offset;
        return table + "+" + kafkaPartition + "+" + padded + "." + codecName + ".parquet";
    }

    /** Parses a file name (the last key segment) written by any outflow version, whatever its codec. */
    public static Optional<ParsedName> parse(String fileName) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ParsedName(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The parts of a published file's name. */
    public record ParsedName(String table, int kafkaPartition, long startOffset) {
    }

    private static String trimSlashes(String s) {
        String t = s == null ? "" : s;
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
