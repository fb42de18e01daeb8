package dev.outflow.source.query;

import java.util.List;

import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.config.TableOverrides;
import dev.outflow.source.config.TableSettings;

/**
 * The columns of a table that travel in its records, from its override's column include or exclude list. Primary
 * key columns always travel: they form the record key. Key columns of the read plan (timestamp, incrementing) may
 * be left out of the records; the page query still selects them to page by.
 */
public final class ColumnSelection {

    private ColumnSelection() {
    }

    /** The definition with only the selected columns, or a {@link PlanException} naming the list to fix. */
    public static TableDefinition apply(TableDefinition table, TableSettings settings) throws PlanException {
        List<String> include = settings.columnInclude();
        List<String> exclude = settings.columnExclude();
        if (include.isEmpty() && exclude.isEmpty()) {
            return table;
        }
        String key = settings.overridePrefix() + (include.isEmpty() ? TableOverrides.COLUMN_EXCLUDE_LIST
                : TableOverrides.COLUMN_INCLUDE_LIST);
        for (String name : include.isEmpty() ? exclude : include) {
            if (table.column(name).isEmpty()) {
                throw new PlanException(key, "Table " + table.id() + " has no column \"" + name + "\"; its columns "
                        + "are " + table.columns().stream().map(ColumnDefinition::name).toList()
                        + " (names are case-sensitive)");
            }
            if (!include.isEmpty() || !table.primaryKey().contains(name)) {
                continue;
            }
            throw new PlanException(key, "Column \"" + name + "\" is part of the primary key of " + table.id()
                    + ", which is the record key, so it cannot be left out");
        }
        List<ColumnDefinition> kept = table.columns().stream()
                .filter(c -> table.primaryKey().contains(c.name())
                        || (include.isEmpty() ? !exclude.contains(c.name()) : include.contains(c.name())))
                .toList();
        return new TableDefinition(table.id(), kept, table.primaryKey(), table.sequenceColumns(),
                table.uniqueColumns());
    }
}
