package dev.outflow.sink.partition;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Decides the partition directory a record's file goes under, e.g. {@code partition=3} or
 * {@code year=2026/month=02/day=11}. Every segment is made with {@link PathValues}, so data can never produce an
 * invalid path or one outside the output root.
 */
public interface Partitioner {
    String encodePartition(SinkRecord record);
}
