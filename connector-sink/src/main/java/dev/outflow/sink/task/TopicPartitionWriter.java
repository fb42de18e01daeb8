package dev.outflow.sink.task;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.sink.format.AvroSchemas;
import dev.outflow.sink.format.ParquetFooters;
import dev.outflow.sink.format.ParquetRecordWriter;
import dev.outflow.sink.format.RecordConverter;
import dev.outflow.sink.format.SchemaProjection;
import dev.outflow.sink.partition.FileNaming;
import dev.outflow.sink.partition.Partitioner;
import dev.outflow.sink.storage.Storage;

/**
 * Writes one Kafka topic-partition into Parquet files — one open file per partition directory — and knows which
 * offsets are safely published.
 *
 * <p><b>Exactly once.</b> The open files of this partition are published together, at a <i>checkpoint</i>,
 * whatever triggers it (record count, bytes, age, record time, schema change, memory pressure). A checkpoint
 * covers a run of offsets S..E: every record of the partition in that run is in one of its files, and each file's
 * footer records S, E and how many files the checkpoint has. Only offsets up to a completed checkpoint are
 * committed. When the partition is (re)assigned, {@link #recover()} reads the footer of the newest file:
 * <ul>
 *   <li>if every file of that checkpoint is published, the task resumes right after E, so records published but
 *   not yet committed when a worker died are not written again;</li>
 *   <li>if the worker died while publishing (some of its files missing), the published ones are deleted and the
 *   task resumes at S, so the checkpoint is written again whole.</li>
 * </ul>
 * Neither case depends on file boundaries being reproducible, so wall-clock and memory-pressure rotations keep
 * exactly-once too. Leftover unpublished files of the partition are removed first.
 */
final class TopicPartitionWriter {
    private static final Logger log = LoggerFactory.getLogger(TopicPartitionWriter.class);

    private final TopicPartition tp;
    private final String table;
    private final Storage storage;
    private final FileNaming naming;
    private final Partitioner partitioner;
    private final AvroSchemas schemas;
    private final WriterSettings settings;

    /** False until {@link #recover()} succeeded: nothing may be written before. */
    private boolean recovered;

    /** Records below this offset are already in published files; replays of them are skipped. */
    private long nextOffset = -1;
    /** The offset Connect may commit when no checkpoint is open. -1: nothing to say yet. */
    private long committable = -1;

    // The open checkpoint: its first and last processed offsets, when it began, its files by directory.
    private long checkpointStart = -1;
    private long lastProcessed = -1;
    private long openedAtMs;
    private Long firstRecordTimestamp;
    private final Map<String, OpenFile> files = new LinkedHashMap<>();

    /** The newest value schema seen: older compatible records are written in it (no file per schema flip). */
    private Schema newestSchema;

    /**
     * Running estimate of the memory the open files hold: a fixed cost per open file plus the bytes of the values
     * written. Kept incrementally so the task can check its budget after every record at no cost. It never goes
     * down when a row group is flushed mid-file, so it errs towards publishing early. The value bytes are the
     * converter's estimate ({@link RecordConverter#lastSizeBytes()}), not Parquet's own count (getDataSize), which
     * leaves out the dictionaries it builds per column.
     */
    private long memoryEstimate;

    /** A finished checkpoint whose files are not all published yet (publishing failed; retried before more work). */
    private Publishing publishing;

    TopicPartitionWriter(TopicPartition tp, String table, Storage storage, FileNaming naming, Partitioner partitioner,
            AvroSchemas schemas, WriterSettings settings) {
        this.tp = tp;
        this.table = table;
        this.storage = storage;
        this.naming = naming;
        this.partitioner = partitioner;
        this.schemas = schemas;
        this.settings = settings;
    }

    /**
     * Cleans up after earlier attempts and finds where published data ends.
     *
     * @return the offset to resume from, or empty when nothing of this partition is published yet (resume from
     *     the committed offset)
     */
    OptionalLong recover() throws IOException {
        String prefix = naming.tablePrefix(table);
        storage.discardPending(prefix, fileNamePrefix());
        return recover(storage.list(prefix));
    }

    /**
     * {@link #recover()} from a listing of the table's published files that the caller took after discarding this
     * partition's unpublished leftovers ({@link TableRecovery} lists a table once for all its partitions).
     */
    OptionalLong recover(List<String> tableKeys) throws IOException {
        OptionalLong resume = findResumePoint(tableKeys);
        recovered = true;
        return resume;
    }

    TopicPartition topicPartition() {
        return tp;
    }

    /** The table directory this partition writes under. */
    String table() {
        return table;
    }

    /** Every file of this partition is named with this prefix: {@code <table>+<partition>+}. */
    String fileNamePrefix() {
        return table + "+" + tp.partition() + "+";
    }

    boolean recovered() {
        return recovered;
    }

    private OptionalLong findResumePoint(List<String> tableKeys) throws IOException {
        List<PublishedFile> own = publishedFiles(tableKeys);
        if (own.isEmpty()) {
            return OptionalLong.empty();
        }
        PublishedFile newest = own.stream().max((a, b) -> Long.compare(a.startOffset, b.startOffset)).orElseThrow();
        Map<String, String> footer = ParquetFooters.outflowMetadata(storage.open(newest.key));
        String start = footer.get(ParquetRecordWriter.META_CHECKPOINT_START);
        String end = footer.get(ParquetRecordWriter.META_CHECKPOINT_END);
        String count = footer.get(ParquetRecordWriter.META_CHECKPOINT_FILES);
        long resumeAt;
        if (start == null || end == null || count == null) {
            String fileEnd = footer.get(ParquetRecordWriter.META_END_OFFSET);
            if (fileEnd == null) {
                log.warn("{}: newest file {} has no outflow footer; resuming from the committed offset", tp,
                        newest.key);
                return OptionalLong.empty();
            }
            resumeAt = Long.parseLong(fileEnd) + 1; // written by a version with one file per checkpoint
        } else {
            long s = Long.parseLong(start);
            List<PublishedFile> ofCheckpoint = own.stream().filter(f -> f.startOffset >= s).toList();
            if (ofCheckpoint.size() >= Integer.parseInt(count)) {
                resumeAt = Long.parseLong(end) + 1;
            } else {
                log.warn("{}: the checkpoint of offsets {}..{} was cut short ({} of {} files published); deleting "
                        + "them and writing it again", tp, s, end, ofCheckpoint.size(), count);
                for (PublishedFile f : ofCheckpoint) {
                    storage.delete(f.key);
                }
                resumeAt = s;
            }
        }
        nextOffset = resumeAt;
        committable = resumeAt;
        log.info("{}: published data ends before offset {}; resuming there", tp, resumeAt);
        return OptionalLong.of(resumeAt);
    }

    /**
     * Adds one record. Throws {@link DataException} for a record that cannot be written (the caller routes it to
     * the dead letter queue); nothing is changed then.
     */
    void write(SinkRecord record, long nowMs) throws IOException {
        long offset = record.kafkaOffset();
        if (offset < nextOffset) {
            return; // already published before a restart
        }
        finishPublishing();
        if (!(record.value() instanceof Struct value) || record.valueSchema() == null) {
            throw new DataException("Record " + tp + "@" + offset + " has no struct value with a schema ("
                    + (record.value() == null ? "null" : record.value().getClass().getSimpleName())
                    + "). The Parquet sink needs schema'd records: use the Avro converter (or JSON with "
                    + "schemas.enable=true)");
        }
        Schema target = targetSchema(record.valueSchema());
        Struct projected = SchemaProjection.project(value, target);
        RecordConverter converter = schemas.converter(target);
        GenericData.Record row = converter.convert(projected);
        long rowBytes = converter.lastSizeBytes();
        String directory = partitioner.encodePartition(record);

        if (checkpointStart >= 0 && settings.rotateIntervalMs() >= 0 && record.timestamp() != null
                && firstRecordTimestamp != null
                && record.timestamp() - firstRecordTimestamp >= settings.rotateIntervalMs()) {
            checkpoint("record time span reached");
        }
        OpenFile file = files.get(directory);
        if (file != null && file.schema != target && !file.schema.equals(target)) {
            checkpoint("schema changed");
            file = null;
        }
        begin(offset, nowMs, record.timestamp());
        try {
            if (file == null) {
                file = OpenFile.start(storage, naming.key(table, directory, tp.partition(), offset), target,
                        schemas.recordSchema(target), tp, offset, settings);
                files.put(directory, file);
                memoryEstimate += ParquetRecordWriter.fixedOverheadBytes(settings.pageBytes());
            }
            file.writer.write(row, offset);
        } catch (IOException | RuntimeException e) {
            throw new RewindException(tp, abandonCheckpoint(), e);
        }
        memoryEstimate += rowBytes;
        lastProcessed = offset;
        nextOffset = offset + 1;
        if (file.writer.records() >= settings.flushSize()) {
            checkpoint("flush.size reached");
        } else if (file.sizeReached(rowBytes, settings.rotateSizeBytes())) {
            checkpoint("rotate.size.bytes reached");
        }
    }

    /** A record deliberately not written (ignored tombstone, or sent to the dead letter queue). */
    void skip(SinkRecord record) {
        long offset = record.kafkaOffset();
        if (offset < nextOffset) {
            return;
        }
        nextOffset = offset + 1;
        if (checkpointStart >= 0) {
            lastProcessed = offset;
        } else {
            committable = nextOffset;
        }
    }

    /** Publishes the open files if the checkpoint has been open longer than rotate.schedule.interval.ms. */
    void rotateIfDue(long nowMs) throws IOException {
        finishPublishing();
        if (checkpointStart >= 0 && settings.maxOpenMs() >= 0 && nowMs - openedAtMs >= settings.maxOpenMs()) {
            checkpoint("open for " + (nowMs - openedAtMs) + " ms");
        }
    }

    /** Estimated bytes the open files hold in memory (O(1)). */
    long bufferedBytes() {
        return memoryEstimate;
    }

    int openFiles() {
        return files.size();
    }

    /** The offset to commit, or -1 when there is nothing new to say. */
    long committableOffset() {
        if (publishing != null) {
            return publishing.start;
        }
        return checkpointStart >= 0 ? checkpointStart : committable;
    }

    /**
     * Publishes every open file of this partition as one checkpoint: first all files are finished (footers
     * written), then all are published, then the offsets they cover become committable.
     */
    void checkpoint(String reason) throws IOException {
        if (checkpointStart < 0) {
            return;
        }
        long start = checkpointStart;
        long end = lastProcessed;
        List<OpenFile> closing = new ArrayList<>(files.values());
        files.clear();
        checkpointStart = -1;
        firstRecordTimestamp = null;
        memoryEstimate = 0;
        try {
            for (OpenFile f : closing) {
                f.writer.close(start, end, closing.size());
            }
        } catch (IOException | RuntimeException e) {
            // The files cannot be finished, so their records are gone from memory: read them again.
            closing.forEach(OpenFile::abort);
            nextOffset = start;
            throw new RewindException(tp, start, e);
        }
        publishing = new Publishing(start, end, closing, reason);
        finishPublishing();
    }

    /**
     * Publishes what a checkpoint has left to publish. A failure keeps the finished files for the next attempt
     * and is reported as retriable: Connect then redelivers the batch, and nothing is lost.
     */
    private void finishPublishing() {
        Publishing p = publishing;
        if (p == null) {
            return;
        }
        while (!p.remaining.isEmpty()) {
            OpenFile f = p.remaining.get(0);
            try {
                f.pending.publish();
            } catch (IOException | RuntimeException e) {
                throw new RetriableException("Publishing " + f.pending.key() + " failed (" + e.getMessage()
                        + "); will retry", e);
            }
            p.remaining.remove(0);
        }
        publishing = null;
        committable = p.end + 1;
        long records = p.files.stream().mapToLong(f -> f.writer.records()).sum();
        log.info("{}: published {} file(s), {} records, offsets {}..{} ({})", tp, p.files.size(), records, p.start,
                p.end, p.reason);
    }

    /** A checkpoint being published: all its files are finished; {@code remaining} are not yet visible. */
    private static final class Publishing {
        final long start;
        final long end;
        final List<OpenFile> files;
        final List<OpenFile> remaining;
        final String reason;

        Publishing(long start, long end, List<OpenFile> files, String reason) {
            this.start = start;
            this.end = end;
            this.files = files;
            this.remaining = new ArrayList<>(files);
            this.reason = reason;
        }
    }

    /** Drops the open checkpoint's files and returns where its records must be read again from. */
    private long abandonCheckpoint() {
        long from = checkpointStart;
        files.values().forEach(OpenFile::abort);
        files.clear();
        checkpointStart = -1;
        firstRecordTimestamp = null;
        memoryEstimate = 0;
        nextOffset = from;
        return from;
    }

    /** Drops the unpublished files: their records are read again from the committed offset. */
    void close() {
        if (publishing != null) {
            // Whatever was published stays; the next owner sees an incomplete checkpoint and writes it again.
            publishing.remaining.forEach(OpenFile::abort);
            publishing = null;
        }
        files.values().forEach(OpenFile::abort);
        files.clear();
        checkpointStart = -1;
        firstRecordTimestamp = null;
        memoryEstimate = 0;
    }

    private void begin(long offset, long nowMs, Long timestamp) {
        if (checkpointStart < 0) {
            checkpointStart = offset;
            openedAtMs = nowMs;
            firstRecordTimestamp = timestamp;
        }
    }

    /** The schema to write a record in: the newest schema it fits, or its own (which then becomes the newest). */
    private Schema targetSchema(Schema schema) {
        if (schema == newestSchema) {
            return schema;
        }
        if (newestSchema != null && SchemaProjection.canProject(schema, newestSchema)) {
            return newestSchema;
        }
        if (newestSchema == null || SchemaProjection.canProject(newestSchema, schema)) {
            newestSchema = schema;
        }
        return schema;
    }

    private List<PublishedFile> publishedFiles(List<String> tableKeys) {
        List<PublishedFile> own = new ArrayList<>();
        for (String key : tableKeys) {
            FileNaming.parse(key.substring(key.lastIndexOf('/') + 1))
                    .filter(p -> p.table().equals(table) && p.kafkaPartition() == tp.partition())
                    .ifPresent(p -> own.add(new PublishedFile(key, p.startOffset())));
        }
        return own;
    }

    private record PublishedFile(String key, long startOffset) {
    }

    /** A file being written. */
    private static final class OpenFile {
        private static final int SIZE_CHECK_ROWS = 32;

        final Storage.PendingFile pending;
        final ParquetRecordWriter writer;
        final Schema schema;
        private int uncheckedRows;
        private long uncheckedBytes;

        private OpenFile(Storage.PendingFile pending, ParquetRecordWriter writer, Schema schema) {
            this.pending = pending;
            this.writer = writer;
            this.schema = schema;
        }

        static OpenFile start(Storage storage, String key, Schema schema, org.apache.avro.Schema avroSchema,
                TopicPartition tp, long startOffset, WriterSettings settings) throws IOException {
            Storage.PendingFile pending = storage.create(key);
            try {
                ParquetRecordWriter writer = new ParquetRecordWriter(pending.outputFile(), avroSchema,
                        settings.codec(), settings.rowGroupBytes(), settings.pageBytes(), tp.topic(), tp.partition(),
                        startOffset);
                return new OpenFile(pending, writer, schema);
            } catch (IOException | RuntimeException e) {
                pending.abort();
                throw e;
            }
        }

        /**
         * Whether the file has reached {@code limit} bytes (rotate.size.bytes). Parquet's size sums the buffers of
         * every column, which costs more than writing a small row, so it is asked every 32 rows, or sooner once the
         * rows written since hold 1/64 of the limit: a file overshoots by a sliver of the limit at most.
         */
        boolean sizeReached(long rowBytes, long limit) {
            uncheckedBytes += rowBytes;
            if (++uncheckedRows < SIZE_CHECK_ROWS && uncheckedBytes < limit / 64) {
                return false;
            }
            uncheckedRows = 0;
            uncheckedBytes = 0;
            return writer.dataSize() >= limit;
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
