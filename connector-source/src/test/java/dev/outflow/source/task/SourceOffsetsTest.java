package dev.outflow.source.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.Mode;
import dev.outflow.source.query.KeyColumn;
import dev.outflow.source.query.ReadPlan;

class SourceOffsetsTest {

    private static final TableId T = new TableId("public", "orders");
    private static final Map<String, String> PARTITION = SourceOffsets.partition(T);

    private static byte[] asStoredKey(Map<String, ?> partition) {
        // How Connect's offset store serializes an offset key: JSON, schemaless, [connector, partition].
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "false"), true);
        return json.fromConnectData("", null, List.of("outflow-source", partition));
    }

    @Test
    void partitionSerializesLikeAMapParsedFromJsonSoTheStoredOffsetIsFound() {
        Map<String, String> parsed = new HashMap<>();
        parsed.put("table", "orders");
        parsed.put("schema", "public");
        assertArrayEquals(asStoredKey(parsed), asStoredKey(PARTITION));
    }

    @Test
    void aStoredTimestampOffsetBindsAsTheExactMicrosecond() {
        ReadPlan plan = new ReadPlan(T, Mode.TIMESTAMP, List.of(
                new KeyColumn("updated_at", "timestamptz", KeyColumn.Role.TIMESTAMP),
                new KeyColumn("id", "int8", KeyColumn.Role.TIEBREAKER)), "test");
        // 2026-01-01T00:00:00.000001Z and a pre-1970 value, where floor division matters.
        assertEquals(List.of("2026-01-01T00:00:00.000001Z", "42"), SourceOffsets.keyText(plan,
                Map.of("timestamp_micros", 1_767_225_600_000_001L, "tiebreaker", 42)));
        assertEquals(List.of("1969-12-31T23:59:59.999999Z", "7"), SourceOffsets.keyText(plan,
                Map.of("timestamp_micros", -1L, "tiebreaker", 7L)));
        ReadPlan local = new ReadPlan(T, Mode.TIMESTAMP_INCREMENTING, List.of(
                new KeyColumn("at", "timestamp", KeyColumn.Role.TIMESTAMP),
                new KeyColumn("id", "int8", KeyColumn.Role.INCREMENTING)), "test");
        assertEquals(List.of("2026-01-01T00:00:00.000001", "5"), SourceOffsets.keyText(local,
                Map.of("timestamp_micros", 1_767_225_600_000_001L, "incrementing", 5)));
        assertNull(SourceOffsets.keyText(local, null));
    }

    @Test
    void aStoredOffsetOfAnotherModeFailsNamingTheReset() {
        ReadPlan plan = new ReadPlan(T, Mode.TIMESTAMP, List.of(
                new KeyColumn("updated_at", "timestamptz", KeyColumn.Role.TIMESTAMP),
                new KeyColumn("id", "int8", KeyColumn.Role.TIEBREAKER)), "test");
        ConnectException e = assertThrows(ConnectException.class,
                () -> SourceOffsets.keyText(plan, Map.of("incrementing", 42L)));
        assertTrue(e.getMessage().contains("DELETE /connectors/{name}/offsets"), e.getMessage());
    }

    @Test
    void alteredOffsetsMustHaveTheShapeOfTheMode() {
        assertDoesNotThrow(() -> SourceOffsets.validate(Mode.INCREMENTING, PARTITION, Map.of("incrementing", 5)));
        assertDoesNotThrow(() -> SourceOffsets.validate(Mode.BULK, PARTITION, null));
        assertDoesNotThrow(() -> SourceOffsets.validate(Mode.AUTO, PARTITION,
                Map.of("timestamp_micros", 5L, "tiebreaker", "abc")));
        assertThrows(ConnectException.class, () -> SourceOffsets.validate(Mode.BULK, PARTITION,
                Map.of("incrementing", 5)));
        ConnectException shape = assertThrows(ConnectException.class, () -> SourceOffsets.validate(Mode.TIMESTAMP,
                PARTITION, Map.of("timestamp", 5L)));
        assertTrue(shape.getMessage().contains("timestamp_micros"), shape.getMessage());
        ConnectException type = assertThrows(ConnectException.class, () -> SourceOffsets.validate(
                Mode.TIMESTAMP_INCREMENTING, PARTITION, Map.of("timestamp_micros", "2026-01-01",
                        "incrementing", 1)));
        assertTrue(type.getMessage().contains("microseconds"), type.getMessage());
        assertThrows(ConnectException.class, () -> SourceOffsets.validate(Mode.INCREMENTING,
                Map.of("table", "orders"), Map.of("incrementing", 5)));
    }
}
