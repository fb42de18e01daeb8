package dev.outflow.source.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.Mode;
import dev.outflow.source.config.TableSettings;

class ColumnSelectionTest {

    private static final TableDefinition ORDERS = new TableDefinition(new TableId("public", "orders"), List.of(
            new ColumnDefinition("id", "int8", -1, true),
            new ColumnDefinition("updated_at", "timestamptz", -1, true),
            new ColumnDefinition("note", "text", -1, false),
            new ColumnDefinition("secret", "text", -1, false)), List.of("id"));

    private static TableSettings settings(List<String> include, List<String> exclude) {
        return new TableSettings(Mode.INCREMENTING, "", "id", "", "t", include, exclude,
                TableSettings.StartPosition.EARLIEST, "table.override.o.", Set.of());
    }

    private static List<String> names(TableDefinition t) {
        return t.columns().stream().map(ColumnDefinition::name).toList();
    }

    @Test
    void includeKeepsTheListedColumnsAndThePrimaryKeyInTableOrder() throws Exception {
        assertEquals(List.of("id", "note"), names(ColumnSelection.apply(ORDERS, settings(List.of("note"), List.of()))));
    }

    @Test
    void excludeDropsTheListedColumns() throws Exception {
        assertEquals(List.of("id", "updated_at", "note"),
                names(ColumnSelection.apply(ORDERS, settings(List.of(), List.of("secret")))));
    }

    @Test
    void unknownColumnsAndPrimaryKeyExclusionNameTheOverrideKey() {
        PlanException unknown = assertThrows(PlanException.class,
                () -> ColumnSelection.apply(ORDERS, settings(List.of("Note"), List.of())));
        assertEquals("table.override.o.column.include.list", unknown.configKey());
        assertTrue(unknown.getMessage().contains("case-sensitive"), unknown.getMessage());
        PlanException pk = assertThrows(PlanException.class,
                () -> ColumnSelection.apply(ORDERS, settings(List.of(), List.of("id"))));
        assertEquals("table.override.o.column.exclude.list", pk.configKey());
        assertTrue(pk.getMessage().contains("primary key"), pk.getMessage());
    }
}
