package dev.outflow.source.query;

import java.util.Set;

/**
 * One column of the key a table is paged by, in key order.
 *
 * @param name     the column name, or {@code ctid} for {@link Role#ROW_ADDRESS}
 * @param typeName {@code pg_type.typname} of the column (for a domain, of its base type)
 * @param role     what the column means for the position kept in the offset
 */
public record KeyColumn(String name, String typeName, Role role) {

    private static final Set<String> INTEGER_TYPES = Set.of("int2", "int4", "int8");
    private static final Set<String> TIMESTAMP_TYPES = Set.of("timestamptz", "timestamp");

    public enum Role {
        /** The watermark of the timestamp modes: kept as microseconds since the epoch. */
        TIMESTAMP,
        /** The incrementing column: kept as a number. */
        INCREMENTING,
        /** Orders rows sharing a timestamp: a number for integer columns, else the value's text form. */
        TIEBREAKER,
        /** A primary key column bulk mode pages by; not kept across restarts. */
        BULK_KEY,
        /** The row's physical address ({@code ctid}), for bulk paging of a table without a primary key. */
        ROW_ADDRESS
    }

    public boolean isInteger() {
        return INTEGER_TYPES.contains(typeName);
    }

    public static boolean isIntegerType(String typeName) {
        return INTEGER_TYPES.contains(typeName);
    }

    public static boolean isTimestampType(String typeName) {
        return TIMESTAMP_TYPES.contains(typeName);
    }

    /** Whether the column is a {@code timestamp without time zone} (a wall-clock reading, no instant). */
    public boolean isLocalTimestamp() {
        return "timestamp".equals(typeName);
    }
}
