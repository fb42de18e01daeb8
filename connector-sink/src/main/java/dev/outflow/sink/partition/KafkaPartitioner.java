package dev.outflow.sink.partition;

import org.apache.kafka.connect.sink.SinkRecord;

/** One directory per Kafka partition: {@code partition=<n>}, as Confluent's DefaultPartitioner does. */
public final class KafkaPartitioner implements Partitioner {
    @Override
    public String encodePartition(SinkRecord record) {
        return "partition=" + record.kafkaPartition();
    }
}
