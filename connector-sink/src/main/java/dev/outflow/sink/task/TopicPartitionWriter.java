package dev.outflow.sink.task;

import java.io.IOException;
import java.util.OptionalLong;

import org.apache.avro.Schema;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.sink.format.AvroSchemas;
import dev.outflow.sink.format.AvroValues;
import dev.outflow.sink.format.ParquetFooters;
import dev.outflow.sink.format.ParquetRecordWriter;
import dev.outflow.sink.partition.FileNaming;
import dev.outflow.sink.partition.Partitioner;
import dev.outflow.sink.storage.Storage;

/**
 * Writes one Kafka topic-partition into a sequence of files, one open at a time, and knows which offsets are
 * safely published.
 *
 * <p>Exactly once rests on three rules. (1) Files hold consecutive runs of this partition's records, and each
 * file's footer names its last offset. (2) Only offsets below everything unpublished are committed. (3) On
 * assignment, the task removes unpublished leftovers, reads the footer of the newest published file and resumes
 * right after it — so records published but not yet committed when a worker died are not written again,
 * whatever rotated their file (size, age or schema change).
 */
final class TopicPartitionWriter {
    private static final Logger log = LoggerFactory.getLogger(TopicPartitionWriter.class);

    private final TopicPartition tp;
    private final String table;
    private final Storage storage;
    private final FileNaming naming;
    private final Partitioner partitioner;
    private final AvroSchemas schemas;
    private final CompressionCodecName codec;
    private final int flushSize;
    private final long maxOpenMs;

    /** Records below this offset are already in published files; replays of them are skipped. */
    private long nextOffset = -1;
    /** The offset Connect may commit: everything below it is published or deliberately skipped. -1: none yet. */
    private long committable = -1;
    private OpenFile open;

    TopicPartitionWriter(TopicPartition tp, Storage storage, FileNaming naming, Partitioner partitioner,
            AvroSchemas schemas, CompressionCodecName codec, int flushSize, long maxOpenMs) {
        this.tp = tp;
        this.table = tp.topic();
        this.storage = storage;
        this.naming = naming;
        this.partitioner = partitioner;
        this.schemas = schemas;
        this.codec = codec;
        this.flushSize = flushSize;
        this.maxOpenMs = maxOpenMs;
    }

    /**
     * Cleans up after earlier attempts and finds where published data ends.
     *
     * @return the offset to resume from (right after the last published record), or empty when nothing of this
     *     partition is published yet (resume from the committed offset)
     */
    OptionalLong recover() throws IOException {
        String prefix = naming.tablePrefix(table);
        String ownFiles = table + "+" + tp.partition() + "+";
        storage.discardPending(prefix, ownFiles);
        String newest = null;
        long newestStart = -1;
        for (String key : storage.list(prefix)) {
            String fileName = key.substring(key.lastIndexOf('/') + 1);
            var parsed = FileNaming.parse(fileName);
            if (parsed.isPresent() && parsed.get().table().equals(table)
                    && parsed.get().kafkaPartition() == tp.partition() && parsed.get().startOffset() > newestStart) {
                newestStart = parsed.get().startOffset();
                newest = key;
            }
        }
        if (newest == null) {
            return OptionalLong.empty();
        }
        OptionalLong end = ParquetFooters.endOffset(storage.open(newest));
        if (end.isEmpty()) {
            log.warn("{}: newest file {} has no outflow offset footer; resuming from the committed offset", tp,
                    newest);
            return OptionalLong.empty();
        }
        nextOffset = end.getAsLong() + 1;
        committable = nextOffset;
        log.info("{}: published data ends at offset {} ({}); resuming at {}", tp, end.getAsLong(), newest,
                nextOffset);
        return OptionalLong.of(nextOffset);
    }

    /**
     * Adds one record. Throws {@link DataException} for a record that cannot be written (the caller routes it to
     * the dead letter queue); the writer's state is unchanged then.
     */
    void write(SinkRecord record, long nowMs) throws IOException {
        long offset = record.kafkaOffset();
        if (offset < nextOffset) {
            return; // already published before a restart
        }
        if (!(record.value() instanceof Struct value) || record.valueSchema() == null) {
            throw new DataException("Record " + tp + "@" + offset + " has no struct value with a schema ("
                    + (record.value() == null ? "null" : record.value().getClass().getSimpleName())
                    + "). The Parquet sink needs schema'd records: use the Avro converter (or JSON with "
                    + "schemas.enable=true)");
        }
        Schema avroSchema = schemas.recordSchema(record.valueSchema());
        var avroRecord = AvroValues.toRecord(value, avroSchema);
        String encodedPartition = partitioner.encodePartition(record);
        if (open != null && (!open.connectSchema.equals(record.valueSchema())
                || !open.encodedPartition.equals(encodedPartition))) {
            publish("schema or partition changed");
        }
        if (open == null) {
            open = OpenFile.start(storage, naming.key(table, encodedPartition, tp.partition(), offset),
                    record.valueSchema(), avroSchema, encodedPartition, codec, tp, offset, nowMs);
        }
        open.writer.write(avroRecord, offset);
        open.lastOffset = offset;
        nextOffset = offset + 1;
        if (open.writer.records() >= flushSize) {
            publish("flush.size reached");
        }
    }

    /** A record deliberately not written (ignored tombstone, or sent to the dead letter queue). */
    void skip(SinkRecord record) {
        nextOffset = Math.max(nextOffset, record.kafkaOffset() + 1);
        if (open == null) {
            committable = nextOffset;
        }
    }

    void rotateIfDue(long nowMs) throws IOException {
        if (open != null && maxOpenMs >= 0 && nowMs - open.openedAtMs >= maxOpenMs) {
            publish("open for " + (nowMs - open.openedAtMs) + " ms");
        }
    }

    /** The offset to commit, or -1 when there is nothing new to say. */
    long committableOffset() {
        return open != null ? open.startOffset : committable;
    }

    /** Drops the unpublished file: its records are read again from the committed offset. */
    void close() {
        if (open != null) {
            open.abort();
            open = null;
        }
    }

    private void publish(String reason) throws IOException {
        OpenFile file = open;
        open = null;
        try {
            file.writer.close();
            file.pending.publish();
        } catch (IOException | RuntimeException e) {
            file.pending.abort();
            throw e;
        }
        committable = file.lastOffset + 1;
        log.info("{}: published {} ({} records, offsets {}..{}; {})", tp, file.pending.key(),
                file.writer.records(), file.startOffset, file.lastOffset, reason);
    }

    /** The file currently being written. */
    private static final class OpenFile {
        final Storage.PendingFile pending;
        final ParquetRecordWriter writer;
        final org.apache.kafka.connect.data.Schema connectSchema;
        final String encodedPartition;
        final long startOffset;
        final long openedAtMs;
        long lastOffset;

        private OpenFile(Storage.PendingFile pending, ParquetRecordWriter writer,
                org.apache.kafka.connect.data.Schema connectSchema, String encodedPartition, long startOffset,
                long openedAtMs) {
            this.pending = pending;
            this.writer = writer;
            this.connectSchema = connectSchema;
            this.encodedPartition = encodedPartition;
            this.startOffset = startOffset;
            this.openedAtMs = openedAtMs;
        }

        static OpenFile start(Storage storage, String key, org.apache.kafka.connect.data.Schema connectSchema,
                Schema avroSchema, String encodedPartition, CompressionCodecName codec, TopicPartition tp,
                long startOffset, long nowMs) throws IOException {
            Storage.PendingFile pending = storage.create(key);
            try {
                ParquetRecordWriter writer = new ParquetRecordWriter(pending.outputFile(), avroSchema, codec,
                        tp.topic(), tp.partition(), startOffset);
                return new OpenFile(pending, writer, connectSchema, encodedPartition, startOffset, nowMs);
            } catch (IOException | RuntimeException e) {
                pending.abort();
                throw e;
            }
        }

        void abort() {
            try {
                writer.close();
            } catch (IOException | RuntimeException e) {
                log.debug("Ignoring error closing an abandoned file", e);
            }
            pending.abort();
        }
    }
}
