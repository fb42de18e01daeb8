package dev.outflow.source.types;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.TableDefinition;

/**
 * Turns rows of one table into Connect structs: the value (every column) and the key (the primary key columns,
 * or none when the table has no primary key). Built once per table definition; schemas are stable across polls.
 */
public final class RowMapper {

    private final List<ColumnMapping> columns;
    private final Schema valueSchema;
    private final Schema keySchema;
    private final int[] keyColumnIndexes;

    /**
     * @param schemaBaseName Avro-safe base for record names, e.g. {@code pg.public.orders}
     * @param onFallback     told about each column that has no type rule and travels as text
     */
    public RowMapper(TableDefinition table, String schemaBaseName, Consumer<ColumnMapping> onFallback) {
        this.columns = mapColumns(table.columns());
        columns.stream().filter(ColumnMapping::fallback).forEach(onFallback);

        SchemaBuilder value = SchemaBuilder.struct().name(schemaBaseName + ".Value").optional();
        columns.forEach(c -> value.field(c.fieldName(), c.schema()));
        this.valueSchema = value.build();

        if (table.primaryKey().isEmpty()) {
            this.keySchema = null;
            this.keyColumnIndexes = new int[0];
        } else {
            SchemaBuilder key = SchemaBuilder.struct().name(schemaBaseName + ".Key");
            keyColumnIndexes = new int[table.primaryKey().size()];
            for (int k = 0; k < keyColumnIndexes.length; k++) {
                String pkColumn = table.primaryKey().get(k);
                int index = indexOf(pkColumn);
                keyColumnIndexes[k] = index;
                key.field(columns.get(index).fieldName(), columns.get(index).schema());
            }
            this.keySchema = key.build();
        }
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnMapping::column).toList();
    }

    public Schema valueSchema() {
        return valueSchema;
    }

    /** The key schema, or null for a table without a primary key. */
    public Schema keySchema() {
        return keySchema;
    }

    /** Reads the current row (columns selected in {@link #columnNames()} order) into a value struct. */
    public Struct readValue(ResultSet rs) throws SQLException {
        Struct struct = new Struct(valueSchema);
        for (int i = 0; i < columns.size(); i++) {
            ColumnMapping c = columns.get(i);
            struct.put(c.fieldName(), c.reader().read(rs, i + 1));
        }
        return struct;
    }

    /** The key struct built from a value struct, or null for a table without a primary key. */
    public Struct key(Struct value) {
        if (keySchema == null) {
            return null;
        }
        Struct key = new Struct(keySchema);
        for (int index : keyColumnIndexes) {
            String field = columns.get(index).fieldName();
            key.put(field, value.get(field));
        }
        return key;
    }

    /** The Connect field name the given column travels under. */
    public String fieldName(String column) {
        return columns.get(indexOf(column)).fieldName();
    }

    private int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).column().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }

    private static List<ColumnMapping> mapColumns(List<ColumnDefinition> definitions) {
        List<ColumnMapping> mapped = new ArrayList<>(definitions.size());
        Set<String> used = new HashSet<>();
        for (ColumnDefinition column : definitions) {
            // Two columns may sanitize to one name ("a b" and "a_b"): suffix until unique, in ordinal order, so
            // the result is stable across polls.
            String base = AvroNames.sanitize(column.name());
            String field = base;
            for (int n = 2; !used.add(field); n++) {
                field = base + "_" + n;
            }
            mapped.add(TypeMapper.map(column, field));
        }
        return mapped;
    }
}
