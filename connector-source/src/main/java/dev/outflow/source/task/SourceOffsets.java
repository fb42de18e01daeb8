package dev.outflow.source.task;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.connect.errors.ConnectException;

import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.Mode;
import dev.outflow.source.query.KeyColumn;
import dev.outflow.source.query.ReadPlan;

/**
 * The shape of our Connect source offsets. The partition names the table; the offset is the key of the last row
 * emitted, typed. This is what {@code GET /connectors/{name}/offsets} shows and what a user may PATCH.
 *
 * <pre>
 * partition:                {"schema": "public", "table": "orders"}
 * incrementing:             {"incrementing": 12345}
 * timestamp:                {"timestamp_micros": 1767225600123456, "tiebreaker": 42}
 * timestamp+incrementing:   {"timestamp_micros": 1767225600123456, "incrementing": 12345}
 * bulk:                     no offset (every pass reads the whole table)
 * </pre>
 *
 * {@code timestamp_micros} is microseconds since 1970-01-01T00:00:00Z for a timestamptz column, and since
 * 1970-01-01T00:00:00 of the wall clock for a timestamp (without time zone) column. A tiebreaker is a number for
 * an integer column, else the PostgreSQL text form of the value.
 */
public final class SourceOffsets {

    public static final String SCHEMA = "schema";
    public static final String TABLE = "table";
    public static final String INCREMENTING = "incrementing";
    public static final String TIMESTAMP_MICROS = "timestamp_micros";
    public static final String TIEBREAKER = "tiebreaker";

    private static final String RESET_HINT = "Stop the connector (PUT /connectors/{name}/stop), then reset the "
            + "table's offset (DELETE /connectors/{name}/offsets) or PATCH one of the right shape.";

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

    /** The offset key a key column is kept under. */
    static String offsetKey(KeyColumn column) {
        return switch (column.role()) {
            case TIMESTAMP -> TIMESTAMP_MICROS;
            case INCREMENTING -> INCREMENTING;
            case TIEBREAKER -> TIEBREAKER;
            case BULK_KEY, ROW_ADDRESS -> throw new IllegalArgumentException("bulk keys are not kept");
        };
    }

    /** The offset of a row whose key values (typed as {@link #offsetValue} gives them) are {@code values}. */
    static Map<String, Object> offset(ReadPlan plan, Object[] values) {
        Map<String, Object> offset = new HashMap<>(4);
        for (int k = 0; k < values.length; k++) {
            offset.put(offsetKey(plan.key().get(k)), values[k]);
        }
        return offset;
    }

    /** The offset keys of a mode, or empty for bulk. */
    static Set<String> shape(Mode mode) {
        return switch (mode) {
            case INCREMENTING -> Set.of(INCREMENTING);
            case TIMESTAMP -> Set.of(TIMESTAMP_MICROS, TIEBREAKER);
            case TIMESTAMP_INCREMENTING -> Set.of(TIMESTAMP_MICROS, INCREMENTING);
            case BULK, AUTO -> Set.of();
        };
    }

    /**
     * The key of the last row read as the text each key column is bound with, or null when nothing was read
     * yet. Fails with a message naming the fix when the stored offset does not fit how the table is read now
     * (e.g. the mode changed).
     */
    static List<String> keyText(ReadPlan plan, Map<String, ?> stored) {
        if (stored == null || stored.isEmpty() || !plan.keepsPosition()) {
            return null;
        }
        Set<String> expected = new TreeSet<>();
        plan.key().forEach(k -> expected.add(offsetKey(k)));
        if (!expected.equals(new TreeSet<>(stored.keySet()))) {
            throw new ConnectException("Stored offset for " + plan.table() + " is " + stored + ", but the table is "
                    + "now read in mode " + plan.mode() + " (" + plan.describe() + "), whose offset has the keys "
                    + expected + ". " + RESET_HINT);
        }
        List<String> texts = new ArrayList<>();
        for (KeyColumn k : plan.key()) {
            Object value = stored.get(offsetKey(k));
            texts.add(toText(k, checkValue(plan.table(), k, offsetKey(k), value)));
        }
        return texts;
    }

    /**
     * Checks a user-supplied offset (KIP-875 {@code PATCH /connectors/{name}/offsets}) against the configured
     * mode, without a database: the keys of one mode's shape, each of the right JSON type. A null offset (reset)
     * is always fine.
     */
    public static void validate(Mode mode, Map<String, ?> partition, Map<String, ?> offset) {
        if (partition == null || !(partition.get(SCHEMA) instanceof String)
                || !(partition.get(TABLE) instanceof String) || partition.size() != 2) {
            throw new ConnectException("Offset partition " + partition + " is not a table of this connector: it "
                    + "must be {\"schema\": \"<schema>\", \"table\": \"<table>\"}");
        }
        if (offset == null) {
            return;
        }
        TableId table = new TableId((String) partition.get(SCHEMA), (String) partition.get(TABLE));
        List<Mode> candidates = mode == Mode.AUTO
                ? List.of(Mode.INCREMENTING, Mode.TIMESTAMP, Mode.TIMESTAMP_INCREMENTING) : List.of(mode);
        Set<String> keys = new TreeSet<>(offset.keySet());
        Mode match = candidates.stream().filter(m -> new TreeSet<>(shape(m)).equals(keys)).findFirst()
                .orElse(null);
        if (match == null) {
            Set<String> shapes = new LinkedHashSet<>();
            candidates.forEach(m -> shapes.add(m + ": " + example(m)));
            throw new ConnectException("Offset " + offset + " for " + table + " does not fit mode " + mode
                    + (mode == Mode.BULK ? ", which keeps no offset (only null, a reset, is accepted)"
                            : "; expected " + String.join(" or ", shapes)));
        }
        for (String key : keys) {
            Object value = offset.get(key);
            boolean ok = switch (key) {
                case INCREMENTING, TIMESTAMP_MICROS -> value instanceof Long || value instanceof Integer
                        || value instanceof Short;
                default -> value instanceof Number n ? n.longValue() == n.doubleValue() : value instanceof String;
            };
            if (!ok) {
                throw new ConnectException("Offset for " + table + ": \"" + key + "\" is " + value + " ("
                        + (value == null ? "null" : value.getClass().getSimpleName()) + "); it must be "
                        + (key.equals(TIEBREAKER) ? "an integer or a string" : key.equals(TIMESTAMP_MICROS)
                                ? "an integer, microseconds since 1970-01-01T00:00:00Z" : "an integer"));
            }
        }
    }

    private static String example(Mode mode) {
        return switch (mode) {
            case INCREMENTING -> "{\"incrementing\": 12345}";
            case TIMESTAMP -> "{\"timestamp_micros\": 1767225600123456, \"tiebreaker\": 42}";
            case TIMESTAMP_INCREMENTING -> "{\"timestamp_micros\": 1767225600123456, \"incrementing\": 12345}";
            default -> "null";
        };
    }

    private static Object checkValue(TableId table, KeyColumn k, String key, Object value) {
        boolean wantsNumber = k.role() != KeyColumn.Role.TIEBREAKER || k.isInteger();
        if (wantsNumber ? !(value instanceof Number) : !(value instanceof String || value instanceof Number)) {
            throw new ConnectException("Stored offset for " + table + " has \"" + key + "\": " + value + ", not "
                    + (wantsNumber ? "an integer" : "a string") + ". " + RESET_HINT);
        }
        return value;
    }

    /**
     * The text a stored key value is bound with (cast to the column's type by the page query); public because the
     * command's dry run counts the rows after a stored watermark with the same binding.
     */
    public static String toText(KeyColumn k, Object value) {
        if (k.role() == KeyColumn.Role.TIMESTAMP) {
            long micros = ((Number) value).longValue();
            long seconds = Math.floorDiv(micros, 1_000_000L);
            int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1_000;
            return k.isLocalTimestamp() ? LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC).toString()
                    : Instant.ofEpochSecond(seconds, nanos).toString();
        }
        return value instanceof Number n ? Long.toString(n.longValue()) : value.toString();
    }
}
