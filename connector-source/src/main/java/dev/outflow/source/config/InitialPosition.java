package dev.outflow.source.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a table is first read from when it has no stored offset. Named after Kafka's {@code auto.offset.reset}
 * values, which Connect users already know.
 */
public enum InitialPosition {
    /** The whole table, from its first row. */
    EARLIEST,
    /** Only rows added (or, in the timestamp modes, changed) from the first read on. */
    LATEST,
    /** From {@code timestamp.initial} (timestamp modes) or after {@code incrementing.initial} (incrementing). */
    VALUE;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> configNames() {
        return Arrays.stream(values()).map(InitialPosition::configName).toList();
    }

    /** The position a config value names; the caller has validated it. */
    public static InitialPosition of(String configName) {
        return valueOf(configName.trim().toUpperCase(Locale.ROOT));
    }
}
