package dev.outflow.source.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import dev.outflow.source.catalog.TableId;

class TableOverridesTest {

    private static Map<String, String> props(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", "jdbc:postgresql://localhost:5432/shop");
        props.put("table.include.list", "public\\..*");
        props.put("topic.prefix", "pg.");
        props.put("mode", "incrementing");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    @Test
    void anOverrideChangesOnlyItsTableAndOnlyTheKeysItSets() {
        PostgresSourceConfig config = new PostgresSourceConfig(props(
                "table.overrides", "orders",
                "table.override.orders.table", "public.orders",
                "table.override.orders.mode", "timestamp",
                "table.override.orders.timestamp.column.name", "updated_at",
                "table.override.orders.topic", "orders-v2",
                "table.override.orders.column.exclude.list", "secret, note",
                "table.override.orders.initial.position", "latest"));
        TableSettings orders = config.settingsFor(new TableId("public", "orders"));
        assertEquals(Mode.TIMESTAMP, orders.mode());
        assertEquals("updated_at", orders.timestampColumn());
        assertEquals("id", orders.incrementingColumn());
        assertEquals("orders-v2", orders.topic());
        assertEquals(List.of("secret", "note"), orders.columnExclude());
        assertEquals(InitialPosition.LATEST, orders.start().position());
        assertEquals("table.override.orders.mode", orders.keyOf("mode"));
        // The override sets the mode, so what that mode needs is reported on the override's keys.
        assertEquals("table.override.orders.timestamp.tiebreaker.column.name",
                orders.keyOf("timestamp.tiebreaker.column.name"));

        TableSettings other = config.settingsFor(new TableId("public", "customers"));
        assertEquals(Mode.INCREMENTING, other.mode());
        assertEquals("pg.public.customers", other.topic());
        assertEquals(InitialPosition.EARLIEST, other.start().position());
        assertEquals("mode", other.keyOf("mode"));
    }

    @Test
    void eachAliasKeyIsValidatedOnItsOwnName() {
        Map<String, String> p = props("table.overrides", "orders",
                "table.override.orders.table", "public.orders",
                "table.override.orders.mode", "sometimes",
                "table.override.orders.topic", "bad topic");
        Map<String, List<String>> errors = errors(p);
        assertEquals(List.of("table.override.orders.mode", "table.override.orders.topic"),
                errors.keySet().stream().sorted().toList(), errors.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> new PostgresSourceConfig(p));
        assertTrue(e.getMessage().contains("table.override.orders."), e.getMessage());

        Map<String, List<String>> missingTable = errors(props("table.overrides", "orders"));
        assertEquals(List.of("table.override.orders.table"), List.copyOf(missingTable.keySet()));
        assertTrue(errors(props("table.overrides", "public.orders")).containsKey("table.overrides"));
    }

    @Test
    void problemsAcrossKeysNameTheKeyToChange() {
        PostgresSourceConfig config = new PostgresSourceConfig(props(
                "table.overrides", "a,b",
                "table.override.a.table", "public.orders",
                "table.override.a.column.include.list", "id",
                "table.override.a.column.exclude.list", "note",
                "table.override.b.table", "public.orders",
                "table.override.b.timestamp.initial", "1000",
                "initial.position", "value"));
        Map<String, String> problems = new HashMap<>();
        config.problems().forEach(pr -> problems.put(pr.key(), pr.message()));
        assertEquals(List.of("initial.position", "table.override.a.column.exclude.list",
                "table.override.b.table"), problems.keySet().stream().sorted().toList(), problems.toString());
        assertTrue(problems.get("initial.position").contains("timestamp.initial"));
        assertThrows(ConfigException.class, config::checkProblems);

        PostgresSourceConfig unused = new PostgresSourceConfig(props("incrementing.initial", "5"));
        assertEquals("incrementing.initial", unused.problems().get(0).key());
        assertTrue(unused.problems().get(0).message().contains("initial.position=value"));
    }

    private static Map<String, List<String>> errors(Map<String, String> props) {
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigValue v : PostgresSourceConfig.configDef(props).validate(props)) {
            if (!v.errorMessages().isEmpty()) {
                errors.put(v.name(), v.errorMessages());
            }
        }
        return errors;
    }
}
