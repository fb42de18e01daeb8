package dev.outflow.sink.partition;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.connect.errors.ConnectException;

/** The table directory for a topic: the topic name, optionally rewritten by table.name.regex/replacement. */
public final class TableNames {

    private final Pattern regex;
    private final String replacement;

    public TableNames(Pattern regex, String replacement) {
        this.regex = regex;
        this.replacement = replacement;
    }

    public String tableFor(String topic) {
        Matcher m = regex.matcher(topic);
        String name = m.matches() ? m.replaceAll(replacement) : topic;
        String safe = PathValues.escape(name);
        if (safe.isEmpty() || safe.equals(".") || safe.equals("..")) {
            throw new ConnectException("table.name.regex/table.name.replacement turn topic " + topic + " into \""
                    + name + "\", which is not a usable directory name; adjust them");
        }
        return safe;
    }
}
