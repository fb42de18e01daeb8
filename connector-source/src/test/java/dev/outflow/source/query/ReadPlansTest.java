package dev.outflow.source.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.Mode;
import dev.outflow.source.config.TableSettings;

class ReadPlansTest {

    private static final TableId T = new TableId("public", "orders");
    private static final List<ColumnDefinition> COLUMNS = List.of(
            new ColumnDefinition("id", "int8", -1, true),
            new ColumnDefinition("updated_at", "timestamptz", -1, false),
            new ColumnDefinition("code", "text", -1, false),
            new ColumnDefinition("note", "text", -1, false));

    private static TableSettings settings(Mode mode, String ts, String tiebreaker) {
        return new TableSettings(mode, ts, "id", tiebreaker, "pg.public.orders");
    }

    private static List<String> keyNames(ReadPlan plan) {
        return plan.key().stream().map(KeyColumn::name).toList();
    }

    @Test
    void timestampUsesThePrimaryKeyAsTiebreakerByDefault() throws Exception {
        ReadPlan plan = ReadPlans.resolve(new TableDefinition(T, COLUMNS, List.of("id")),
                settings(Mode.TIMESTAMP, "updated_at", ""));
        assertEquals(List.of("updated_at", "id"), keyNames(plan));
        assertEquals(KeyColumn.Role.TIEBREAKER, plan.key().get(1).role());
    }

    @Test
    void timestampWithoutAUniqueTiebreakerIsRefusedOnTheTiebreakerKey() throws Exception {
        PlanException noPk = assertThrows(PlanException.class, () -> ReadPlans.resolve(
                new TableDefinition(T, COLUMNS, List.of()), settings(Mode.TIMESTAMP, "updated_at", "")));
        assertEquals("timestamp.tiebreaker.column.name", noPk.configKey());
        assertTrue(noPk.getMessage().contains("no primary key"), noPk.getMessage());

        PlanException notUnique = assertThrows(PlanException.class, () -> ReadPlans.resolve(
                new TableDefinition(T, COLUMNS, List.of("id")), settings(Mode.TIMESTAMP, "updated_at", "note")));
        assertTrue(notUnique.getMessage().contains("not unique"), notUnique.getMessage());

        TableDefinition uniqueCode = new TableDefinition(T, COLUMNS, List.of(), List.of(), List.of("code"));
        assertEquals(List.of("updated_at", "code"), keyNames(ReadPlans.resolve(uniqueCode,
                settings(Mode.TIMESTAMP, "updated_at", "code"))));
    }

    @Test
    void theTimestampColumnMustExistAndBeATimestamp() {
        TableDefinition t = new TableDefinition(T, COLUMNS, List.of("id"));
        PlanException missing = assertThrows(PlanException.class, () -> ReadPlans.resolve(t,
                settings(Mode.TIMESTAMP, "", "")));
        assertEquals("timestamp.column.name", missing.configKey());
        PlanException wrongType = assertThrows(PlanException.class, () -> ReadPlans.resolve(t,
                settings(Mode.TIMESTAMP_INCREMENTING, "note", "")));
        assertTrue(wrongType.getMessage().contains("is text"), wrongType.getMessage());
    }

    @Test
    void autoPicksTimestampThenSerialThenBulk() throws Exception {
        TableSettings auto = settings(Mode.AUTO, "updated_at", "");
        assertEquals(Mode.TIMESTAMP, ReadPlans.resolve(new TableDefinition(T, COLUMNS, List.of("id")), auto).mode());

        List<ColumnDefinition> noTs = List.of(COLUMNS.get(0), COLUMNS.get(3));
        ReadPlan serial = ReadPlans.resolve(new TableDefinition(T, noTs, List.of(), List.of("id"), List.of()), auto);
        assertEquals(Mode.INCREMENTING, serial.mode());
        assertEquals(List.of("id"), keyNames(serial));

        ReadPlan bulk = ReadPlans.resolve(new TableDefinition(T, noTs, List.of("id")), auto);
        assertEquals(Mode.BULK, bulk.mode());
        assertEquals(List.of("id"), keyNames(bulk));
        assertTrue(bulk.reason().startsWith("auto:"), bulk.reason());
    }
}
