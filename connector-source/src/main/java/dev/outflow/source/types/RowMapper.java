package dev.outflow.source.types;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.TableDefinition;

/**
 * Turns rows of one table into Connect structs: the value (every column) and the key (the primary key columns,
 * or none when the table has no primary key). Built once per table definition; schemas are stable across polls.
 */
public final class RowMapper {
    private static final Logger log = LoggerFactory.getLogger(RowMapper.class);

    private final List<ColumnMapping> columns;
    private final Schema valueSchema;
    private final Schema keySchema;
    private final int[] keyColumnIndexes;
    // Per row, values are put by Field, not by name: a name costs a map lookup per value, on the hottest path.
    private final ColumnReader[] readers;
    private final Field[] valueFields;
    private final Field[] keyFields;

    /**
     * A mapper that applies {@code options} and logs one warning per column whose type has no mapping rule,
     * naming the table, the column and what happens to it.
     *
     * @param schemaBaseName Avro-safe base for record names, e.g. {@code pg.public.orders}
     */
    public RowMapper(TableDefinition table, String schemaBaseName, TypeOptions options) {
        this(table, schemaBaseName, options, mapping -> log.warn(
                "Column \"{}\" of {} has type {}, which has no mapping rule; {}", mapping.column(), table.id(),
                mapping.unmappedType(), options.unknownTypes() == TypeOptions.UnknownTypeHandling.SKIP
                        && !table.primaryKey().contains(mapping.column())
                        ? "the column is left out (unknown.type.handling=skip)"
                        : "it travels as its text form"));
    }

    /**
     * A mapper with the default {@link TypeOptions}.
     *
     * @param schemaBaseName Avro-safe base for record names, e.g. {@code pg.public.orders}
     * @param onFallback     told about each column that has no type rule and travels as text
     */
    public RowMapper(TableDefinition table, String schemaBaseName, Consumer<ColumnMapping> onFallback) {
        this(table, schemaBaseName, TypeOptions.DEFAULTS, onFallback);
    }

    private RowMapper(TableDefinition table, String schemaBaseName, TypeOptions options,
            Consumer<ColumnMapping> onFallback) {
        List<ColumnMapping> all = mapColumns(table.columns(), options);
        all.stream().filter(ColumnMapping::fallback).forEach(onFallback);
        // A primary key column always travels (as text if need be): the key cannot lose a part.
        this.columns = options.unknownTypes() == TypeOptions.UnknownTypeHandling.SKIP
                ? all.stream().filter(c -> !c.fallback() || table.primaryKey().contains(c.column())).toList()
                : all;

        SchemaBuilder value = SchemaBuilder.struct().name(schemaBaseName + ".Value").optional();
        columns.forEach(c -> value.field(c.fieldName(), c.schema()));
        this.valueSchema = value.build();
        this.readers = columns.stream().map(ColumnMapping::reader).toArray(ColumnReader[]::new);
        this.valueFields = columns.stream().map(c -> valueSchema.field(c.fieldName())).toArray(Field[]::new);

        if (table.primaryKey().isEmpty()) {
            this.keySchema = null;
            this.keyColumnIndexes = new int[0];
            this.keyFields = new Field[0];
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
            this.keyFields = keySchema.fields().toArray(new Field[0]);
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
        for (int i = 0; i < readers.length; i++) {
            struct.put(valueFields[i], readers[i].read(rs, i + 1));
        }
        return struct;
    }

    /** The key struct built from a value struct, or null for a table without a primary key. */
    public Struct key(Struct value) {
        if (keySchema == null) {
            return null;
        }
        Struct key = new Struct(keySchema);
        for (int k = 0; k < keyFields.length; k++) {
            key.put(keyFields[k], value.get(valueFields[keyColumnIndexes[k]]));
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

    private static List<ColumnMapping> mapColumns(List<ColumnDefinition> definitions, TypeOptions options) {
        List<ColumnMapping> mapped = new ArrayList<>(definitions.size());
        Set<String> used = new HashSet<>();
        for (ColumnDefinition column : definitions) {
            String field = TypeMapper.uniqueField(AvroNames.sanitize(column.name()), used);
            mapped.add(TypeMapper.map(column, field, options));
        }
        return mapped;
    }
}
