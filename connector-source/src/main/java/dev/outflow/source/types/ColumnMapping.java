package dev.outflow.source.types;

import org.apache.kafka.connect.data.Schema;

/** How one column travels: its Connect schema and how its value is read from a JDBC result. */
public record ColumnMapping(String column, String fieldName, Schema schema, ColumnReader reader, boolean fallback) {
}
