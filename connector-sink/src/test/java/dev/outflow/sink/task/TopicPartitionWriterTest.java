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
import dev.outflow.sink.storage.LocalStorage;

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
        return new TopicPartitionWriter(TP, new LocalStorage(root), new FileNaming("topics", 10, "snappy"),
                new KafkaPartitioner(), new AvroSchemas(), CompressionCodecName.SNAPPY, flushSize, maxOpenMs);
    }

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
}
