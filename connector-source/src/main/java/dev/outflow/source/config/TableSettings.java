package dev.outflow.source.config;

/**
 * The settings that decide how one table is read: the connector-wide keys, overridden per table where the
 * configuration says so.
 *
 * @param mode               the configured mode (may be {@link Mode#AUTO})
 * @param timestampColumn    the timestamp column, or empty
 * @param incrementingColumn the incrementing column
 * @param tiebreakerColumn   the tiebreaker column, or empty for the primary key
 * @param topic              the topic the table's rows go to
 */
public record TableSettings(Mode mode, String timestampColumn, String incrementingColumn, String tiebreakerColumn,
        String topic) {
}
