package dev.outflow.sink.task;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.sink.Version;
import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.format.AvroSchemas;
import dev.outflow.sink.partition.FileNaming;
import dev.outflow.sink.partition.KafkaPartitioner;
import dev.outflow.sink.partition.Partitioner;
import dev.outflow.sink.storage.Storage;
import dev.outflow.sink.storage.Storages;

/**
 * Batches records per topic-partition into Parquet files and tells Connect to commit only offsets whose records
 * are in published files. See {@link TopicPartitionWriter} for the exactly-once argument.
 */
public class ParquetSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(ParquetSinkTask.class);

    private ParquetSinkConfig config;
    private Storage storage;
    private FileNaming naming;
    private final Partitioner partitioner = new KafkaPartitioner();
    private final AvroSchemas schemas = new AvroSchemas();
    private CompressionCodecName codec;
    private ErrantRecordReporter reporter;
    private final Map<TopicPartition, TopicPartitionWriter> writers = new HashMap<>();

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new ParquetSinkConfig(props);
        storage = Storages.create(config);
        codec = "none".equals(config.codec()) ? CompressionCodecName.UNCOMPRESSED : CompressionCodecName.SNAPPY;
        naming = new FileNaming(config.topicsDir(), config.offsetPadWidth(),
                codec == CompressionCodecName.UNCOMPRESSED ? "uncompressed" : "snappy");
        reporter = errantRecordReporter();
        log.info("Sink task started, writing under {}", config.localDir());
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null; // a worker older than Kafka 2.6
        }
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            TopicPartitionWriter writer = new TopicPartitionWriter(tp, storage, naming, partitioner, schemas, codec,
                    config.flushSize(), config.rotateScheduleIntervalMs());
            try {
                OptionalLong resumeAt = writer.recover();
                resumeAt.ifPresent(offset -> context.offset(tp, offset));
            } catch (IOException e) {
                throw new ConnectException("Cannot read what is already published for " + tp + " under "
                        + config.localDir() + ": " + e.getMessage(), e);
            }
            writers.put(tp, writer);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
            TopicPartitionWriter writer = writers.get(tp);
            if (writer == null) {
                throw new ConnectException("Received a record for " + tp + ", which this task was not assigned");
            }
            try {
                if (record.value() == null && !config.failOnNullValues()) {
                    writer.skip(record);
                    continue;
                }
                writer.write(record, now);
            } catch (DataException e) {
                if (reporter == null) {
                    throw e;
                }
                // Connect applies errors.tolerance: with "none" this fails the task, with "all" the record goes
                // to the dead letter queue (if configured) and we carry on.
                reporter.report(record, e);
                writer.skip(record);
            } catch (IOException e) {
                throw new ConnectException("Writing " + tp + " under " + config.localDir() + " failed: "
                        + e.getMessage(), e);
            }
        }
        rotateDueFiles(now);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // preCommit runs every offset.flush.interval.ms even when no records arrive: the clock for age rotation.
        rotateDueFiles(System.currentTimeMillis());
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        writers.forEach((tp, writer) -> {
            long offset = writer.committableOffset();
            if (offset >= 0) {
                commit.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return commit;
    }

    private void rotateDueFiles(long now) {
        writers.forEach((tp, writer) -> {
            try {
                writer.rotateIfDue(now);
            } catch (IOException e) {
                throw new ConnectException("Publishing a file of " + tp + " failed: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            TopicPartitionWriter writer = writers.remove(tp);
            if (writer != null) {
                writer.close();
            }
        }
    }

    @Override
    public void stop() {
        writers.values().forEach(TopicPartitionWriter::close);
        writers.clear();
        log.info("Sink task stopped");
    }
}
