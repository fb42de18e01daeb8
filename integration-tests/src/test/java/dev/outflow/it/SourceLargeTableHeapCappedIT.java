package dev.outflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.PostgresServer;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * A table far larger than the heap streams through: 2,000,000 rows of about 100 bytes each (several hundred MiB as
 * Connect structs) are read by a real worker in a JVM capped at 320 MiB (the heap-capped failsafe execution, with
 * -XX:+ExitOnOutOfMemoryError), which also hosts the broker. A reader that held a table, or a whole query result,
 * in memory would kill the JVM. Every row must arrive exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourceLargeTableHeapCappedIT {

    private static final int ROWS = 2_000_000;
    private static final String TOPIC = "big.public.big_orders";

    private PostgresServer pg;
    private SchemaRegistryServer registry;
    private ConnectCluster connect;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        registry = SchemaRegistryServer.start();
        connect = ConnectCluster.start(registry);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {connect, registry, pg}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void twoMillionRowsArriveExactlyOnceInACappedHeap() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() < 400L << 20, "this test must run in the heap-capped JVM");
        pg.execute("CREATE TABLE public.big_orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, "
                        + "amount numeric(12,2), status text, note text)",
                "INSERT INTO public.big_orders SELECT i, timestamptz '2025-06-01 00:00:00+00' + i * interval "
                        + "'1 millisecond', (i % 100000) / 100.0, (ARRAY['new','paid','shipped'])[i % 3 + 1], "
                        + "md5(i::text) || md5((i * 7)::text) FROM generate_series(1, " + ROWS + ") i",
                // What timestamp mode needs in production too: without it every page sorts the whole table.
                "CREATE INDEX ON public.big_orders (updated_at, id)",
                "VACUUM ANALYZE public.big_orders");
        Map<String, String> config = ExampleConfig.load("source-postgres.json")
                .with("connection.url", pg.jdbcUrl())
                .with("connection.user", pg.user())
                .with("connection.password", pg.password())
                .with("table.include.list", "public\\.big_orders")
                .with("topic.prefix", "big.")
                .with("mode", "timestamp")
                .with("timestamp.column.name", "updated_at")
                .with("batch.max.rows", "5000")
                .with("poll.interval.ms", "500")
                .config();
        connect.configureConnector("big", config);
        connect.awaitRunning("big", 1, Duration.ofSeconds(60));
        TestUtils.waitForCondition(() -> endOffset() >= ROWS, 180_000,
                () -> "only " + endOffsetOrMinusOne() + " of " + ROWS + " rows in " + TOPIC + "; status "
                        + connect.connectorStatus("big"));
        connect.awaitRunning("big", 1, Duration.ofSeconds(10));
        connect.deleteConnector("big");
        assertEquals(ROWS, endOffset(), "records in " + TOPIC);

        // Each record key is the Avro of {"id": long} after Confluent's 5-byte header: decode the id directly
        // (2M records through the converter would dominate the test), and check a sample with the converter.
        Converter keys = connect.avroConverter(true);
        BitSet seen = new BitSet(ROWS + 1);
        long records = 0;
        long duplicates = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = connect.connect().kafka().createConsumer(Map.of(
                "enable.auto.commit", "false", "max.poll.records", "5000"))) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.currentTimeMillis() + 120_000;
            while (consumer.position(partition) < ROWS && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    long id = avroLong(r.key(), 5);
                    if (records % 250_000 == 0) {
                        Struct key = (Struct) keys.toConnectData(TOPIC, r.key()).value();
                        assertEquals(id, key.getInt64("id"), "record " + records);
                    }
                    records++;
                    if (id < 1 || id > ROWS || seen.get((int) id)) {
                        duplicates++;
                    } else {
                        seen.set((int) id);
                    }
                }
            }
        }
        assertEquals(ROWS, records, "records read back");
        assertEquals(0, duplicates, "repeated or unknown ids");
        assertEquals(ROWS, seen.cardinality(), "distinct ids");
    }

    private long endOffset() throws Exception {
        try (var admin = connect.connect().kafka().createAdminClient()) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                return 0;
            }
            TopicPartition p = new TopicPartition(TOPIC, 0);
            return admin.listOffsets(Map.of(p, org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get()
                    .get(p).offset();
        }
    }

    private long endOffsetOrMinusOne() {
        try {
            return endOffset();
        } catch (Exception e) {
            return -1;
        }
    }

    /** A zig-zag varint (Avro's long) starting at {@code at}. */
    private static long avroLong(byte[] bytes, int at) {
        long raw = 0;
        int shift = 0;
        int b;
        do {
            b = bytes[at++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }
}
