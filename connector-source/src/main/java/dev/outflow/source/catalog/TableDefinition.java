package dev.outflow.source.catalog;

import java.util.List;
import java.util.Optional;

/**
 * A table's columns in their ordinal order, its primary key columns in key order (empty when it has none), and
 * its identity or sequence-fed (serial) columns, and the columns that alone are unique (by an index or constraint).
 */
public record TableDefinition(TableId id, List<ColumnDefinition> columns, List<String> primaryKey,
        List<String> sequenceColumns, List<String> uniqueColumns) {

    public TableDefinition {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        sequenceColumns = List.copyOf(sequenceColumns);
        uniqueColumns = List.copyOf(uniqueColumns);
    }

    /** A definition without identity, serial or unique columns (beyond a single-column primary key). */
    public TableDefinition(TableId id, List<ColumnDefinition> columns, List<String> primaryKey) {
        this(id, columns, primaryKey, List.of(), primaryKey.size() == 1 ? primaryKey : List.of());
    }

    public Optional<ColumnDefinition> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
