package dev.outflow.sink.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.outflow.sink.format.AvroSchemas;
import dev.outflow.sink.partition.CompositePartitioner;
import dev.outflow.sink.partition.FieldPartitioner;
import dev.outflow.sink.partition.FileNaming;
import dev.outflow.sink.partition.TimePartitioner;
import dev.outflow.sink.storage.InterceptingStorage;
import dev.outflow.sink.storage.LocalStorage;
import dev.outflow.sink.storage.Storage;

/**
 * Kills the sink at random instants and checks that every record ends up in exactly one published file.
 *
 * <p>The harness plays Connect: it feeds records from the committed offset (or where recovery says) in random
 * batches, calls the age rotation and preCommit at random times (committing what preCommit returns), and "kills
 * the worker" at random: between records, between a publish and the commit that would have followed it, and in
 * the middle of a checkpoint (after some of its files were published). A killed writer is abandoned without
 * close(), exactly like a dead JVM, and a new one starts with recovery. DuckDB then reads everything back.
 */
class ExactlyOnceChaosTest {

    private static final String TOPIC = "orders";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int RECORDS = 600;
    private static final Schema ROW = SchemaBuilder.struct().name("Row")
            .field("id", SchemaBuilder.int64().build())
            .field("region", SchemaBuilder.string().build())
            .build();

    @TempDir
    Path root;

    /** Thrown by the storage to simulate the worker dying at that instant. */
    private static final class Killed extends RuntimeException {
        Killed() {
            super("simulated worker death", null, false, false);
        }
    }

    private static SinkRecord record(long offset) {
        Struct value = new Struct(ROW).put("id", offset).put("region", "r" + (offset % 5));
        // Record time advances 30 s per record: time directories change, and so does rotate.interval.ms.
        return new SinkRecord(TOPIC, 0, null, null, ROW, value, offset, 1_760_000_000_000L + offset * 30_000L,
                TimestampType.CREATE_TIME);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void everyRecordIsPublishedExactlyOnceWhateverTheKills(long seed) throws Exception {
        Random rnd = new Random(seed);
        ChaosStorage storage = new ChaosStorage(new LocalStorage(root), rnd);
        WriterSettings settings = new WriterSettings(CompressionCodecName.SNAPPY, 64 << 10, 8 << 10,
                5 + rnd.nextInt(40), Long.MAX_VALUE, rnd.nextBoolean() ? 600_000 : -1, 10_000);
        long committed = 0;
        long clock = 0;
        int kills = 0;
        while (true) {
            TopicPartitionWriter writer = new TopicPartitionWriter(TP, TOPIC, storage,
                    new FileNaming("topics", 10, "snappy"), new CompositePartitioner(List.of(
                            new FieldPartitioner(List.of("region")),
                            new TimePartitioner(TimePartitioner.Granularity.HOUR, TimePartitioner.Extractor.RECORD,
                                    null, java.time.ZoneOffset.UTC, () -> 0L))),
                    new AvroSchemas(), settings);
            storage.armed = false;
            OptionalLong resume = writer.recover();
            long position = resume.orElse(committed);
            // Connect may also redeliver a little before the seek point; the writer must skip those.
            position = Math.max(0, position - rnd.nextInt(3));
            storage.armed = true;
            try {
                while (position < RECORDS) {
                    int batch = 1 + rnd.nextInt(30);
                    for (int i = 0; i < batch && position < RECORDS; i++, position++) {
                        writer.write(record(position), clock);
                        if (rnd.nextInt(200) == 0) {
                            throw new Killed();
                        }
                    }
                    clock += rnd.nextInt(4_000);
                    writer.rotateIfDue(clock);
                    if (rnd.nextInt(3) == 0) {
                        long c = writer.committableOffset();
                        if (c >= 0) {
                            committed = c; // Connect commits what preCommit returns
                        }
                    }
                }
                storage.armed = false;
                writer.checkpoint("end of stream");
                committed = writer.committableOffset();
                break;
            } catch (Killed | org.apache.kafka.connect.errors.RetriableException e) {
                kills++; // the writer is abandoned as it is: open files, half-published checkpoints and all
            }
        }
        assertEquals(RECORDS, committed);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM "
                        + "read_parquet('" + root + "/topics/**/*.parquet', hive_partitioning=true)")) {
            rs.next();
            assertEquals(RECORDS, rs.getLong(1), "rows (seed " + seed + ", " + kills + " kills)");
            assertEquals(RECORDS, rs.getLong(2), "distinct ids (seed " + seed + ", " + kills + " kills)");
            assertEquals(0, rs.getLong(3));
            assertEquals(RECORDS - 1, rs.getLong(4));
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".inprogress")).count(),
                    "no unpublished leftovers after the final recovery and checkpoint");
        }
    }

    /** The real local storage, with deaths injected around publishes when armed. */
    private static final class ChaosStorage extends InterceptingStorage {
        private final Random rnd;
        boolean armed;

        ChaosStorage(Storage delegate, Random rnd) {
            super(delegate);
            this.rnd = rnd;
        }

        @Override
        protected void publish(PendingFile real) throws IOException {
            if (armed && rnd.nextInt(12) == 0) {
                throw new Killed(); // dies before this file is visible
            }
            real.publish();
            if (armed && rnd.nextInt(12) == 0) {
                throw new Killed(); // dies right after: published, not committed
            }
        }
    }
}
