package dev.outflow.source.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import dev.outflow.source.catalog.TableId;

class SourceOffsetsTest {

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
        assertArrayEquals(asStoredKey(parsed), asStoredKey(SourceOffsets.partition(new TableId("public", "orders"))));
    }

    @Test
    void readsIncrementingOfAnyNumericType() {
        TableId t = new TableId("public", "orders");
        assertEquals(42L, SourceOffsets.readIncrementing(t, Map.of("incrementing", 42)));
        assertEquals(42L, SourceOffsets.readIncrementing(t, Map.of("incrementing", 42L)));
        assertNull(SourceOffsets.readIncrementing(t, null));
        assertThrows(ConnectException.class, () -> SourceOffsets.readIncrementing(t, Map.of("incrementing", "x")));
    }
}
