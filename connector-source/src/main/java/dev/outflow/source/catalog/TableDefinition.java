package dev.outflow.source.catalog;

import java.util.List;
import java.util.Optional;

/** A table's columns in their ordinal order, and its primary key columns in key order (empty when it has none). */
public record TableDefinition(TableId id, List<ColumnDefinition> columns, List<String> primaryKey) {

    public TableDefinition {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    public Optional<ColumnDefinition> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
