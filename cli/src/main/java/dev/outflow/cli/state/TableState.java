package dev.outflow.cli.state;

import java.util.Map;

/**
 * What the state directory keeps for one table.
 *
 * @param table the table, schema.table
 * @param topic the table's synthetic topic (the source connector's topic name; names the sink's files)
 * @param nextOffset the synthetic offset of the next record: every record below it is in published files
 * @param watermark the source offset of the last record below {@code nextOffset} (the source connector's offset,
 *     e.g. {"timestamp_micros": ..., "tiebreaker": ...}), or null to read from the start
 * @param updatedAt when it was stored (ISO-8601), for people reading the file
 */
public record TableState(String table, String topic, long nextOffset, Map<String, Object> watermark,
        String updatedAt) {
}
