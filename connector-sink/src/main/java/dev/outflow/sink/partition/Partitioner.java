package dev.outflow.sink.partition;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Decides the partition directory a record's file goes under, e.g. {@code partition=3} or
 * {@code year=2026/month=02/day=11}. Must be a pure function of the record: recovery relies on a replayed record
 * landing where it landed before.
 */
public interface Partitioner {
    String encodePartition(SinkRecord record);
}
