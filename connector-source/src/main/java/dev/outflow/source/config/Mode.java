package dev.outflow.source.config;

import java.util.Arrays;
import java.util.List;

/** How a table's new rows are found; the names are Confluent JDBC's, plus {@code auto}. */
public enum Mode {
    /** The whole table on every poll; no stored position. */
    BULK("bulk"),
    /** Rows whose integer column is above the last value read. */
    INCREMENTING("incrementing"),
    /** Rows whose (timestamp, tiebreaker) is after the last pair read. */
    TIMESTAMP("timestamp"),
    /** Like {@link #TIMESTAMP}, with the incrementing column as the tiebreaker. */
    TIMESTAMP_INCREMENTING("timestamp+incrementing"),
    /** Chosen per table from what it has: see {@code dev.outflow.source.query.ReadPlans}. */
    AUTO("auto");

    private final String configName;

    Mode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public boolean usesTimestamp() {
        return this == TIMESTAMP || this == TIMESTAMP_INCREMENTING;
    }

    public static List<String> configNames() {
        return Arrays.stream(values()).map(Mode::configName).toList();
    }

    /** The mode a config value names; the caller has validated it. */
    public static Mode of(String configName) {
        String wanted = configName.trim();
        return Arrays.stream(values()).filter(m -> m.configName.equalsIgnoreCase(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown mode " + configName + "; one of "
                        + configNames()));
    }

    @Override
    public String toString() {
        return configName;
    }
}
