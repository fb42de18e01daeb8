package dev.outflow.source.task;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;

import dev.outflow.source.catalog.TableId;

/**
 * The shape of our Connect source offsets. The partition names the table; the offset is the watermark of the
 * last row emitted. This is what {@code GET /connectors/{name}/offsets} shows and what a user may PATCH.
 *
 * <pre>
 * partition: {"schema": "public", "table": "orders"}
 * offset:    {"incrementing": 12345}
 * </pre>
 */
public final class SourceOffsets {

    public static final String SCHEMA = "schema";
    public static final String TABLE = "table";
    public static final String INCREMENTING = "incrementing";

    private SourceOffsets() {
    }

    // Connect stores offsets under the serialized bytes of the partition map, so its key order must be the same
    // in every JVM and the same as Connect's own JSON parsing gives (the REST offsets API re-serializes parsed
    // maps). Map.of iterates in a per-JVM random order: a worker restart could miss the stored offset and read
    // the table again. HashMap's order depends only on the keys' hash codes, so it is stable.

    public static Map<String, String> partition(TableId table) {
        Map<String, String> partition = new HashMap<>(4);
        partition.put(SCHEMA, table.schema());
        partition.put(TABLE, table.table());
        return partition;
    }

    public static Map<String, Long> incrementing(long lastValue) {
        Map<String, Long> offset = new HashMap<>(2);
        offset.put(INCREMENTING, lastValue);
        return offset;
    }

    /** The last incrementing value in a stored offset, or null when nothing was read yet. */
    public static Long readIncrementing(TableId table, Map<String, Object> offset) {
        if (offset == null || offset.get(INCREMENTING) == null) {
            return null;
        }
        Object value = offset.get(INCREMENTING);
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new ConnectException("Stored offset for " + table + " has a non-numeric \"" + INCREMENTING
                + "\": " + value + ". Reset it with DELETE /connectors/{name}/offsets or PATCH a number.");
    }
}
