package dev.outflow.source.config;

import java.util.List;
import java.util.Set;

/**
 * The settings that decide how one table is read: the connector-wide keys, overridden per table where the
 * configuration says so ({@code table.overrides}).
 *
 * @param mode               the configured mode (may be {@link Mode#AUTO})
 * @param timestampColumn    the timestamp column, or empty
 * @param incrementingColumn the incrementing column
 * @param tiebreakerColumn   the tiebreaker column, or empty for the primary key
 * @param topic              the topic the table's rows go to
 * @param columnInclude      the only columns that travel (the primary key's always do); empty: every column
 * @param columnExclude      columns left out of the records
 * @param start              where the table is first read from when it has no stored offset
 * @param overridePrefix     {@code table.override.<alias>.} when an override applies to the table, else empty
 * @param overridden         the connector-wide key names this table's override sets
 */
public record TableSettings(Mode mode, String timestampColumn, String incrementingColumn, String tiebreakerColumn,
        String topic, List<String> columnInclude, List<String> columnExclude, StartPosition start,
        String overridePrefix, Set<String> overridden) {

    /**
     * Where to start reading a table without a stored offset.
     *
     * @param position       earliest, latest or value
     * @param timestampMs    with value: epoch milliseconds of the first timestamp to read, or null
     * @param incrementing   with value: rows whose incrementing column is above this are read, or null
     */
    public record StartPosition(InitialPosition position, Long timestampMs, Long incrementing) {
        public static final StartPosition EARLIEST = new StartPosition(InitialPosition.EARLIEST, null, null);
    }

    public TableSettings {
        columnInclude = List.copyOf(columnInclude);
        columnExclude = List.copyOf(columnExclude);
        overridden = Set.copyOf(overridden);
    }

    /** Connector-wide settings only: every column, from the beginning, no override. */
    public TableSettings(Mode mode, String timestampColumn, String incrementingColumn, String tiebreakerColumn,
            String topic) {
        this(mode, timestampColumn, incrementingColumn, tiebreakerColumn, topic, List.of(), List.of(),
                StartPosition.EARLIEST, "", Set.of());
    }

    /**
     * The key a user changes to fix a setting: {@code table.override.<alias>.<key>} when this table's override
     * sets it or sets the table's mode (what a mode needs is then this table's business), else the connector-wide
     * key.
     */
    public String keyOf(String connectorKey) {
        return overridden.contains(connectorKey) || overridden.contains(PostgresSourceConfig.MODE)
                ? overridePrefix + connectorKey : connectorKey;
    }
}
