package dev.outflow.source.types;

import org.apache.kafka.connect.data.Schema;

/**
 * How one column travels: its Connect schema and how its value is read from a JDBC result.
 *
 * @param unmappedType the qualified name of a type in this column that has no mapping rule and travels as its
 *                     text form (the column's own type, or an array element's, ...), or null when all are mapped
 */
public record ColumnMapping(String column, String fieldName, Schema schema, ColumnReader reader,
        String unmappedType) {

    /** Whether some part of the column has no type rule (see {@link TypeOptions.UnknownTypeHandling}). */
    public boolean fallback() {
        return unmappedType != null;
    }
}
