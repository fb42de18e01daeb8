package dev.outflow.sink.task;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.sink.Version;
import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.format.AvroSchemas;
import dev.outflow.sink.partition.FileNaming;
import dev.outflow.sink.partition.Partitioner;
import dev.outflow.sink.partition.Partitioners;
import dev.outflow.sink.partition.TableNames;
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
    private Partitioner partitioner;
    private TableNames tableNames;
    private WriterSettings settings;
    private final AvroSchemas schemas = new AvroSchemas();
    private ErrantRecordReporter reporter;
    private final Map<TopicPartition, TopicPartitionWriter> writers = new HashMap<>();
    private int lastOpenFiles;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new ParquetSinkConfig(props);
        storage = Storages.create(config);
        settings = WriterSettings.from(config);
        naming = config.fileNaming();
        partitioner = Partitioners.create(config);
        tableNames = new TableNames(config.tableNameRegex(), config.tableNameReplacement());
        reporter = errantRecordReporter();
        log.info("Sink task started, writing to {} (partitioner {})", where(), config.partitionerName());
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
        List<TopicPartitionWriter> opened = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            TopicPartitionWriter writer = new TopicPartitionWriter(tp, tableNames.tableFor(tp.topic()), storage, naming,
                    partitioner, schemas, settings);
            writers.put(tp, writer);
            opened.add(writer);
        }
        // Connect fails a task whose open() throws; the storage may only be unreachable for a moment, so a
        // partition that cannot be recovered now is recovered before its first record is written.
        TableRecovery.recover(storage, naming, opened, (tp, e) -> log.warn("{}: cannot read what is already "
                + "published in {} yet ({}); will retry", tp, where(), e.getMessage()))
                .forEach((tp, resumeAt) -> resumeAt.ifPresent(offset -> context.offset(tp, offset)));
    }

    /** Recovers a partition; returns true when the consumer was moved (records in hand are then stale). */
    private boolean recover(TopicPartition tp, TopicPartitionWriter writer) throws IOException {
        OptionalLong resumeAt = writer.recover();
        resumeAt.ifPresent(offset -> context.offset(tp, offset));
        return resumeAt.isPresent();
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        int sinceBudgetCheck = 0;
        // Partitions sent back to an earlier offset: their remaining records in this batch come again later.
        Set<TopicPartition> rewound = new HashSet<>();
        // A batch holds long runs of one partition's records: look its writer up once per run, not per record.
        TopicPartition tp = null;
        TopicPartitionWriter writer = null;
        for (SinkRecord record : records) {
            if (tp == null || record.kafkaPartition() != tp.partition() || !record.topic().equals(tp.topic())) {
                tp = new TopicPartition(record.topic(), record.kafkaPartition());
                writer = writers.get(tp);
            }
            if (!rewound.isEmpty() && rewound.contains(tp)) {
                continue;
            }
            if (writer == null) {
                throw new ConnectException("Received a record for " + tp + ", which this task was not assigned");
            }
            if (!writer.recovered() && !recoverBeforeWriting(tp, writer, record.kafkaOffset())) {
                rewound.add(tp);
                continue;
            }
            // Opening a file costs memory at once (see ParquetRecordWriter.fixedOverheadBytes): check the budget
            // right after any record that opened one, and every 64 records otherwise.
            if (++sinceBudgetCheck >= 64 || openFiles() != lastOpenFiles) {
                enforceMemoryBudget();
                sinceBudgetCheck = 0;
                lastOpenFiles = openFiles();
            }
            try {
                if (record.value() == null && !config.failOnNullValues()) {
                    writer.skip(record);
                    continue;
                }
                writer.write(record, now);
            } catch (RewindException e) {
                rewind(e);
                rewound.add(tp);
            } catch (DataException e) {
                if (reporter == null) {
                    throw e;
                }
                // Connect applies errors.tolerance: with "none" this fails the task, with "all" the record goes
                // to the dead letter queue (if configured) and we carry on.
                reporter.report(record, e);
                writer.skip(record);
            } catch (IOException e) {
                throw new ConnectException("Writing " + tp + " to " + where() + " failed: " + e.getMessage(), e);
            }
        }
        rotateDueFiles(now);
        enforceMemoryBudget();
    }

    /**
     * Recovers a partition whose recovery failed at assignment. Returns true when its records may be written now;
     * false when the consumer was moved (to the resume point, or back to {@code offset} to try again later).
     */
    private boolean recoverBeforeWriting(TopicPartition tp, TopicPartitionWriter writer, long offset) {
        try {
            return !recover(tp, writer);
        } catch (IOException | RuntimeException e) {
            log.warn("{}: cannot read what is already published in {} yet ({}); will retry", tp, where(),
                    e.getMessage());
            context.offset(tp, offset);
            return false;
        }
    }

    private void rewind(RewindException e) {
        log.warn("{}", e.getMessage());
        context.offset(e.tp(), e.from());
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

    /**
     * Publishes every open file now, as if each partition's checkpoint were due. The outflow command calls it at
     * the end of a pass (Connect never does): the records written so far land, and preCommit then reports them.
     */
    public void publishOpenFiles(String reason) {
        writers.forEach((tp, writer) -> {
            try {
                writer.checkpoint(reason);
            } catch (RewindException e) {
                rewind(e);
            } catch (IOException e) {
                throw new ConnectException("Publishing files of " + tp + " to " + where() + " failed: "
                        + e.getMessage(), e);
            }
        });
    }

    private void rotateDueFiles(long now) {
        writers.forEach((tp, writer) -> {
            try {
                writer.rotateIfDue(now);
            } catch (RewindException e) {
                rewind(e);
            } catch (IOException e) {
                throw new ConnectException("Publishing a file of " + tp + " to " + where() + " failed: "
                        + e.getMessage(), e);
            }
        });
    }

    private int openFiles() {
        int open = 0;
        for (TopicPartitionWriter w : writers.values()) {
            open += w.openFiles();
        }
        return open;
    }

    /** Where files go, for messages: the local directory or the S3 bucket. */
    private String where() {
        return ParquetSinkConfig.STORAGE_S3.equals(config.storageType())
                ? "s3://" + config.getString(ParquetSinkConfig.S3_BUCKET_NAME) : config.localDir();
    }

    /**
     * Keeps the bytes all open files buffer under memory.budget.bytes by publishing, early, the partition that
     * buffers the most. Publishing early only makes smaller files; exactly-once is unaffected.
     */
    private void enforceMemoryBudget() {
        long total = writers.values().stream().mapToLong(TopicPartitionWriter::bufferedBytes).sum();
        while (total > config.memoryBudgetBytes()) {
            Map.Entry<TopicPartition, TopicPartitionWriter> largest = writers.entrySet().stream()
                    .max(Map.Entry.comparingByValue(java.util.Comparator.comparingLong(
                            TopicPartitionWriter::bufferedBytes)))
                    .orElseThrow();
            long before = largest.getValue().bufferedBytes();
            if (before == 0) {
                return;
            }
            try {
                largest.getValue().checkpoint("memory budget: " + total + " bytes buffered");
            } catch (RewindException e) {
                rewind(e);
            } catch (IOException e) {
                throw new ConnectException("Publishing files of " + largest.getKey() + " failed: " + e.getMessage(), e);
            }
            total -= before;
        }
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
        if (storage != null) {
            try {
                storage.close(); // e.g. the S3 client's connection pool and threads
            } catch (IOException e) {
                log.debug("Ignoring error closing the storage", e);
            }
        }
        log.info("Sink task stopped");
    }
}
