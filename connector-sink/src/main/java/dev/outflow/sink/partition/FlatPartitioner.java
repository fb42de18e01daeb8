package dev.outflow.sink.partition;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * No partition directory: files go straight under the table's directory ({@code partitioner.class=none}). File
 * names still carry the Kafka partition and start offset, so they never collide. What the outflow command uses for
 * a table without {@code partition_by}, where a {@code partition=0} directory would only echo Kafka.
 */
public final class FlatPartitioner implements Partitioner {
    @Override
    public String encodePartition(SinkRecord record) {
        return "";
    }
}
