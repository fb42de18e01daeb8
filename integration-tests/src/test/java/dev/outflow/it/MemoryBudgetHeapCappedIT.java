package dev.outflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.DuckDb;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * Runs in a JVM capped at 320 MiB (see the heap-capped failsafe execution), which also hosts the broker and the
 * worker. 1,000 partition directories are open at once while about 100 MB of incompressible payload streams
 * through: with their fixed per-file cost, the open files would buffer more than the heap holds if the sink did not
 * publish early to stay within memory.budget.bytes (96 MiB here). Every record must still arrive exactly once and the task must stay RUNNING.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemoryBudgetHeapCappedIT {

    private static final String TOPIC = "pg.public.wide";
    private static final int DIRECTORIES = 1_000;
    private static final int RECORDS = 100_000;
    private static final Schema ROW = SchemaBuilder.struct().name("pg.public.wide.Value")
            .field("id", SchemaBuilder.int64().build())
            .field("bucket", SchemaBuilder.int32().build())
            .field("payload", SchemaBuilder.bytes().build())
            .build();

    private SchemaRegistryServer registry;
    private ConnectCluster connect;
    private Path lake;

    @BeforeAll
    void start() throws Exception {
        registry = SchemaRegistryServer.start();
        connect = ConnectCluster.start(registry);
        lake = Files.createTempDirectory("outflow-lake");
        connect.createTopic(TOPIC, 1);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {connect, registry}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void thousandOpenDirectoriesStayWithinTheBudget() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() < 400L << 20, "this test must run in the heap-capped JVM");
        Converter avro = ConnectCluster.avroConverter(registry, false);
        Random rnd = new Random(7);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, "20"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long id = 0; id < RECORDS; id++) {
                byte[] payload = new byte[1_000];
                rnd.nextBytes(payload); // incompressible: buffered bytes are what they are
                Struct value = new Struct(ROW).put("id", id).put("bucket", (int) (id % DIRECTORIES))
                        .put("payload", payload);
                producer.send(new ProducerRecord<>(TOPIC, null, avro.fromConnectData(TOPIC, ROW, value)));
            }
        }
        Map<String, String> config = ExampleConfig.load("sink-local.json")
                .with("local.dir", lake.toString())
                .with("partitioner.class", "field")
                .with("partition.field.name", "bucket")
                .with("flush.size", "1000000")
                .with("rotate.schedule.interval.ms", "-1")
                .with("memory.budget.bytes", String.valueOf(96L << 20))
                .with("parquet.page.size", String.valueOf(16 << 10))
                .config();
        connect.configureConnector("budget", config);
        connect.awaitRunning("budget", 1, Duration.ofSeconds(60));

        // Nothing rotates by size or age here: only the memory budget publishes files. When the topic is
        // consumed, a final publish comes from a config change (age rotation) so the count can be checked.
        TestUtils.waitForCondition(() -> committedOffset() >= RECORDS / 2, 300_000,
                () -> "the sink made no progress within its memory budget: " + connect.connectorStatus("budget"));
        connect.configureConnector("budget", new java.util.HashMap<>(config) {{
                put("rotate.schedule.interval.ms", "1000");
            }});
        try (DuckDb duck = DuckDb.open()) {
            TestUtils.waitForCondition(() -> rows(duck) == RECORDS, 300_000,
                    () -> "rows: " + rows(duck) + ", status " + connect.connectorStatus("budget"));
            assertEquals(RECORDS, duck.queryLong("SELECT count(DISTINCT id) FROM read_parquet('" + lake
                    + "/**/*.parquet')"));
            assertEquals(DIRECTORIES, duck.queryLong("SELECT count(DISTINCT bucket) FROM read_parquet('" + lake
                    + "/**/*.parquet')"));
        }
        assertTrue(connect.connectorStatus("budget").contains("RUNNING"));
        assertTrue(!connect.connectorStatus("budget").contains("FAILED"), connect.connectorStatus("budget"));
    }

    private long committedOffset() throws Exception {
        try (var admin = connect.connect().kafka().createAdminClient()) {
            var offsets = admin.listConsumerGroupOffsets("connect-budget").partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
        }
    }

    private long rows(DuckDb duck) {
        try (Stream<Path> files = Files.walk(lake)) {
            if (files.noneMatch(p -> p.toString().endsWith(".parquet"))) {
                return 0;
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return duck.queryLong("SELECT count(*) FROM read_parquet('" + lake + "/**/*.parquet')");
    }
}
