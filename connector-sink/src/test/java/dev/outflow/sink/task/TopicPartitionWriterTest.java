package dev.outflow.sink.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.outflow.sink.format.AvroSchemas;
import dev.outflow.sink.partition.FileNaming;
import dev.outflow.sink.partition.KafkaPartitioner;
import dev.outflow.sink.partition.Partitioner;
import dev.outflow.sink.storage.InterceptingStorage;
import dev.outflow.sink.storage.LocalStorage;
import dev.outflow.sink.storage.Storage;

class TopicPartitionWriterTest {

    private static final String TOPIC = "pg.public.orders";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Schema V1 = SchemaBuilder.struct().name("pg.public.orders.Value")
            .field("id", SchemaBuilder.int64().build())
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "12").optional().build())
            .build();
    private static final Schema V2 = SchemaBuilder.struct().name("pg.public.orders.Value")
            .field("id", SchemaBuilder.int64().build())
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "12").optional().build())
            .field("note", SchemaBuilder.string().optional().build())
            .build();

    @TempDir
    Path root;

    private TopicPartitionWriter writer(int flushSize, long maxOpenMs) {
        return writer(new LocalStorage(root), new KafkaPartitioner(), flushSize, maxOpenMs);
    }

    private TopicPartitionWriter writer(Storage storage, Partitioner partitioner, int flushSize, long maxOpenMs) {
        return new TopicPartitionWriter(TP, TOPIC, storage, new FileNaming("topics", 10, "snappy"), partitioner,
                new AvroSchemas(), new WriterSettings(CompressionCodecName.SNAPPY, 1 << 20, 64 << 10, flushSize,
                        Long.MAX_VALUE, -1, maxOpenMs));
    }

    /** Spreads records over three directories by id modulo 3. */
    private static final Partitioner BY_ID_MOD_3 = r -> "bucket=" + (((Struct) r.value()).getInt64("id") % 3);

    private static SinkRecord record(long offset) {
        Struct value = new Struct(V1).put("id", offset).put("amount", new BigDecimal(offset + ".25"));
        return new SinkRecord(TOPIC, 0, null, null, V1, value, offset);
    }

    private void writeRange(TopicPartitionWriter w, long from, long toExclusive) throws IOException {
        for (long o = from; o < toExclusive; o++) {
            w.write(record(o), 0);
        }
    }

    private List<Path> published() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    private static long duck(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String glob() {
        return "read_parquet('" + root + "/topics/**/*.parquet')";
    }

    @Test
    void publishesAFileEachFlushSizeAndCommitsOnlyPublishedOffsets() throws Exception {
        TopicPartitionWriter w = writer(100, -1);
        assertEquals(OptionalLong.empty(), w.recover());
        assertEquals(-1, w.committableOffset());
        writeRange(w, 0, 250);
        assertEquals(List.of(
                root.resolve("topics/pg.public.orders/partition=0/pg.public.orders+0+0000000000.snappy.parquet"),
                root.resolve("topics/pg.public.orders/partition=0/pg.public.orders+0+0000000100.snappy.parquet")),
                published());
        // 200..249 are in the open file: not committable yet.
        assertEquals(200, w.committableOffset());
        assertEquals(200, duck("SELECT count(*) FROM " + glob()));
        assertEquals(200, duck("SELECT count(DISTINCT id) FROM " + glob()));
        // sum over o in 0..199 of (o + 0.25) = 19900 + 50
        assertEquals(19_950, duck("SELECT CAST(sum(amount) AS BIGINT) FROM " + glob()));
    }

    @Test
    void aFileIsPublishedOnceItReachesRotateSizeBytes() throws Exception {
        long limit = 64 << 10;
        TopicPartitionWriter w = new TopicPartitionWriter(TP, TOPIC, new LocalStorage(root),
                new FileNaming("topics", 10, "snappy"), new KafkaPartitioner(), new AvroSchemas(),
                new WriterSettings(CompressionCodecName.SNAPPY, 1 << 20, 8 << 10, 1_000_000, limit, -1, -1));
        w.recover();
        java.util.Random rnd = new java.util.Random(7);
        for (long o = 0; o < 1_000; o++) {
            // ~1 KB of incompressible text per row: about 1 MB in all, some 15 files of 64 KiB.
            byte[] noise = new byte[512];
            rnd.nextBytes(noise);
            Struct value = new Struct(V2).put("id", o).put("note", java.util.HexFormat.of().formatHex(noise));
            w.write(new SinkRecord(TOPIC, 0, null, null, V2, value, o), 0);
        }
        List<Path> files = published();
        assertTrue(files.size() >= 10, "expected at least 10 files of ~64 KiB, got " + files.size());
        for (Path f : files) {
            assertTrue(Files.size(f) < 2 * limit, f + " is " + Files.size(f) + " bytes");
        }
        // Every offset before the open file's first is in exactly one published file.
        assertEquals(w.committableOffset(), duck("SELECT count(DISTINCT id) FROM " + glob()));
        assertEquals(w.committableOffset(), duck("SELECT count(*) FROM " + glob()));
    }

    @Test
    void ageRotationPublishesAQuietFile() throws Exception {
        TopicPartitionWriter w = writer(1_000, 5_000);
        w.recover();
        w.write(record(0), 1_000);
        w.write(record(1), 2_000);
        w.rotateIfDue(5_999);
        assertEquals(0, published().size());
        w.rotateIfDue(6_000);
        assertEquals(1, published().size());
        assertEquals(2, w.committableOffset());
    }

    @Test
    void filesAreSnappyAndKeepDecimalTypes() throws Exception {
        TopicPartitionWriter w = writer(10, -1);
        w.recover();
        writeRange(w, 0, 10);
        String file = published().get(0).toString();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT compression FROM parquet_metadata('" + file + "')")) {
            rs.next();
            assertEquals("SNAPPY", rs.getString(1));
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT typeof(amount) FROM read_parquet('" + file + "') LIMIT 1")) {
            rs.next();
            assertEquals("DECIMAL(12,2)", rs.getString(1));
        }
    }

    @Test
    void recoveryResumesRightAfterTheLastPublishedRecordAndRemovesLeftovers() throws Exception {
        TopicPartitionWriter first = writer(100, -1);
        first.recover();
        writeRange(first, 0, 150);
        // The worker dies here: 0..99 published (maybe never committed), 100..149 only in a pending file.
        Path pending;
        try (Stream<Path> files = Files.walk(root)) {
            pending = files.filter(p -> p.getFileName().toString().endsWith(".inprogress")).findFirst().orElseThrow();
        }

        TopicPartitionWriter second = writer(100, -1);
        assertEquals(OptionalLong.of(100), second.recover());
        assertTrue(Files.notExists(pending), "the dead attempt's pending file is removed");
        assertEquals(100, second.committableOffset());
        // Connect may still redeliver from an older committed offset: those records are skipped.
        writeRange(second, 0, 200);
        assertEquals(200, duck("SELECT count(*) FROM " + glob()));
        assertEquals(200, duck("SELECT count(DISTINCT id) FROM " + glob()));
        assertEquals(2, published().size());
    }

    @Test
    void ageRotatedFilesAreNotDuplicatedWhenOffsetsWereNotCommitted() throws Exception {
        // A wall-clock rotation makes file boundaries depend on timing: recovery must not rely on them.
        TopicPartitionWriter first = writer(100, 1_000);
        first.recover();
        writeRange(first, 0, 30);
        first.rotateIfDue(10_000);
        writeRange(first, 30, 40);

        TopicPartitionWriter second = writer(100, 1_000);
        assertEquals(OptionalLong.of(30), second.recover());
        writeRange(second, 0, 100);
        second.rotateIfDue(10_000);
        assertEquals(100, duck("SELECT count(*) FROM " + glob()));
        assertEquals(100, duck("SELECT count(DISTINCT id) FROM " + glob()));
    }

    @Test
    void schemaChangePublishesAndStartsANewFile() throws Exception {
        TopicPartitionWriter w = writer(1_000, -1);
        w.recover();
        writeRange(w, 0, 5);
        Struct v2 = new Struct(V2).put("id", 5L).put("amount", null).put("note", "hello");
        w.write(new SinkRecord(TOPIC, 0, null, null, V2, v2, 5), 0);
        assertEquals(1, published().size());
        assertEquals(5, w.committableOffset());
    }

    @Test
    void recordWithoutSchemaIsADataExceptionThatLeavesStateAlone() throws Exception {
        TopicPartitionWriter w = writer(1_000, 1_000);
        w.recover();
        writeRange(w, 0, 3);
        DataException e = assertThrows(DataException.class,
                () -> w.write(new SinkRecord(TOPIC, 0, null, null, null, java.util.Map.of("id", 1), 3), 0));
        assertTrue(e.getMessage().contains("Avro converter"), e.getMessage());
        w.skip(new SinkRecord(TOPIC, 0, null, null, null, null, 3));
        assertEquals(0, w.committableOffset(), "the open file still holds 0..2");
        writeRange(w, 4, 6);
        w.rotateIfDue(1_000_000);
        assertEquals(6, w.committableOffset());
    }

    @Test
    void closeDropsTheOpenFile() throws Exception {
        TopicPartitionWriter w = writer(1_000, -1);
        w.recover();
        writeRange(w, 0, 3);
        w.close();
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(0, files.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void aCheckpointPublishesEveryOpenDirectoryTogether() throws Exception {
        TopicPartitionWriter w = writer(new LocalStorage(root), BY_ID_MOD_3, 10, -1);
        w.recover();
        writeRange(w, 0, 10); // 10 records across 3 directories: no file has 10 yet
        assertEquals(0, published().size());
        assertEquals(0, w.committableOffset());
        writeRange(w, 10, 28); // bucket 0 reaches 10 records at offset 27: all three directories publish
        assertEquals(3, published().size());
        assertEquals(28, w.committableOffset());
        assertEquals(28, duck("SELECT count(*) FROM " + glob()));
        assertEquals(3, duck("SELECT count(DISTINCT value) FROM parquet_kv_metadata('" + root
                + "/topics/**/*.parquet') WHERE key = 'outflow.kafka.start.offset'"));
        assertEquals(1, duck("SELECT count(DISTINCT value) FROM parquet_kv_metadata('" + root
                + "/topics/**/*.parquet') WHERE key = 'outflow.checkpoint.end.offset'"));
    }

    @Test
    void recoveryAfterACompleteCheckpointResumesAfterIt() throws Exception {
        TopicPartitionWriter first = writer(new LocalStorage(root), BY_ID_MOD_3, 10, -1);
        first.recover();
        writeRange(first, 0, 35); // checkpoint at 27 published (3 files); 28..34 open and lost with the worker

        TopicPartitionWriter second = writer(new LocalStorage(root), BY_ID_MOD_3, 10, -1);
        assertEquals(OptionalLong.of(28), second.recover());
        writeRange(second, 0, 60); // Connect may redeliver from an older commit: replays are skipped
        second.checkpoint("test");
        assertEquals(60, duck("SELECT count(*) FROM " + glob()));
        assertEquals(60, duck("SELECT count(DISTINCT id) FROM " + glob()));
    }

    @Test
    void aCheckpointCutShortIsDeletedAndWrittenAgainWhole() throws Exception {
        TopicPartitionWriter first = writer(new LocalStorage(root), BY_ID_MOD_3, 10, -1);
        first.recover();
        writeRange(first, 0, 28); // one checkpoint of 3 files, offsets 0..27
        // Simulate a worker dying while publishing: one of the three files never became visible.
        Files.delete(published().get(1));

        TopicPartitionWriter second = writer(new LocalStorage(root), BY_ID_MOD_3, 10, -1);
        assertEquals(OptionalLong.of(0), second.recover());
        assertEquals(0, published().size(), "the incomplete checkpoint's files are rolled back");
        writeRange(second, 0, 28);
        assertEquals(28, duck("SELECT count(*) FROM " + glob()));
        assertEquals(28, duck("SELECT count(DISTINCT id) FROM " + glob()));
    }

    @Test
    void aFailedPublishKeepsTheFilesAndSucceedsOnRetry() throws Exception {
        FlakyStorage storage = new FlakyStorage(new LocalStorage(root));
        TopicPartitionWriter w = writer(storage, BY_ID_MOD_3, 10, -1);
        w.recover();
        writeRange(w, 0, 27);
        storage.failPublishes = 2;
        assertThrows(org.apache.kafka.connect.errors.RetriableException.class, () -> w.write(record(27), 0));
        assertEquals(0, w.committableOffset(), "nothing committable while the checkpoint is half published");
        // Connect redelivers the batch: the record already in the finished files is skipped...
        w.write(record(27), 0);
        // ...and the next new record retries publishing first (failing once more here, then succeeding).
        assertThrows(org.apache.kafka.connect.errors.RetriableException.class, () -> w.write(record(28), 0));
        assertEquals(0, w.committableOffset());
        w.write(record(28), 0);
        assertEquals(28, w.committableOffset());
        assertEquals(28, duck("SELECT count(*) FROM " + glob()));
    }

    @Test
    void olderCompatibleRecordsAreWrittenInTheNewestSchema() throws Exception {
        TopicPartitionWriter w = writer(1_000, 1_000);
        w.recover();
        writeRange(w, 0, 3);
        Struct v2 = new Struct(V2).put("id", 3L).put("amount", null).put("note", "hello");
        w.write(new SinkRecord(TOPIC, 0, null, null, V2, v2, 3), 0);
        assertEquals(1, published().size(), "the new column starts a new file once");
        writeRange(w, 4, 10); // old producers keep sending V1: no new file per flip
        w.write(new SinkRecord(TOPIC, 0, null, null, V2,
                new Struct(V2).put("id", 10L).put("amount", null).put("note", "again"), 10), 0);
        writeRange(w, 11, 12);
        w.rotateIfDue(1_000_000);
        assertEquals(2, published().size());
        assertEquals(12, duck("SELECT count(*) FROM " + glob() .replace("')", "', union_by_name=true)")));
        assertEquals(2, duck("SELECT count(note) FROM " + glob().replace("')", "', union_by_name=true)")));
    }

    @Test
    void recordTimeSpanRotates() throws Exception {
        TopicPartitionWriter w = new TopicPartitionWriter(TP, TOPIC, new LocalStorage(root),
                new FileNaming("topics", 10, "snappy"), new KafkaPartitioner(), new AvroSchemas(),
                new WriterSettings(CompressionCodecName.SNAPPY, 1 << 20, 64 << 10, 1_000, Long.MAX_VALUE, 60_000, -1));
        w.recover();
        for (long o = 0; o < 5; o++) {
            Struct value = new Struct(V1).put("id", o).put("amount", null);
            w.write(new SinkRecord(TOPIC, 0, null, null, V1, value, o, 1_000_000L + o * 20_000,
                    org.apache.kafka.common.record.TimestampType.CREATE_TIME), 0);
        }
        // 0..2 span 40 s; offset 3 is 60 s after offset 0: the first file closes before it.
        assertEquals(1, published().size());
        assertEquals(3, w.committableOffset());
    }

    @Test
    void aFileThatCannotBeStartedRewindsTheCheckpointAndTheReplayLandsOnce() throws Exception {
        FlakyStorage storage = new FlakyStorage(new LocalStorage(root));
        // Records 0..19 go to one directory; record 20 needs a second one, whose file cannot be started (as when
        // S3's CreateMultipartUpload keeps failing): the open checkpoint's records are lost from memory.
        Partitioner twoDirs = r -> "bucket=" + (((Struct) r.value()).getInt64("id") == 20 ? "new" : "old");
        TopicPartitionWriter w = writer(storage, twoDirs, 1_000, 1_000);
        w.recover();
        writeRange(w, 0, 20);
        storage.failCreates = 1;
        RewindException e = assertThrows(RewindException.class, () -> w.write(record(20), 0));
        assertEquals(0, e.from(), "the whole open checkpoint is read again");
        assertEquals(-1, w.committableOffset(), "nothing new to commit: Connect keeps its last commit");
        // Connect seeks back to 0 and redelivers: everything lands once.
        writeRange(w, 0, 30);
        w.rotateIfDue(10_000);
        assertEquals(30, w.committableOffset());
        assertEquals(30, duck("SELECT count(*) FROM " + glob()));
        assertEquals(30, duck("SELECT count(DISTINCT id) FROM " + glob()));
    }

    /** The real local storage with create and publish failures injected. */
    private static final class FlakyStorage extends InterceptingStorage {
        int failPublishes;
        int failCreates;

        FlakyStorage(Storage delegate) {
            super(delegate);
        }

        @Override
        protected void beforeCreate(String key) throws IOException {
            if (failCreates > 0) {
                failCreates--;
                throw new IOException("injected create failure");
            }
        }

        @Override
        protected void publish(PendingFile real) throws IOException {
            if (failPublishes > 0) {
                failPublishes--;
                throw new IOException("injected publish failure");
            }
            real.publish();
        }
    }
}
