package dev.outflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
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
import dev.outflow.testing.ConnectWorkerProcess;
import dev.outflow.testing.DuckDb;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * The sink through a real worker and the real Avro converter: three Kafka partitions, two tasks, field + time
 * partitioning, tasks restarted again and again while records stream in, bad records sent to a dead letter queue.
 * DuckDB must then see every good record exactly once, in the directory its values name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SinkExactlyOnceIT {

    private static final String TOPIC = "pg.public.events";
    private static final String DLQ = "outflow-dlq";
    private static final int RECORDS = 3_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Schema ROW = SchemaBuilder.struct().name("pg.public.events.Value")
            .field("id", SchemaBuilder.int64().build())
            .field("region", SchemaBuilder.string().optional().build())
            .field("at", SchemaBuilder.int64().name("dev.outflow.time.TimestampMicros").optional().build())
            .field("payload", SchemaBuilder.string().optional().build())
            .build();

    private SchemaRegistryServer registry;
    private ConnectCluster connect;
    private DuckDb duck;
    private Path lake;
    private KafkaProducer<byte[], byte[]> producer;
    private Converter avro;

    @BeforeAll
    void start() throws Exception {
        registry = SchemaRegistryServer.start();
        connect = ConnectCluster.start(registry);
        duck = DuckDb.open();
        lake = Files.createTempDirectory("outflow-lake");
        connect.createTopic(TOPIC, 3);
        avro = ConnectCluster.avroConverter(registry, false);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {producer, duck, connect, registry}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** Every 100th record has no time: it cannot be partitioned by time and must go to the dead letter queue. */
    private static boolean isBad(long id) {
        return id % 100 == 99;
    }

    private void produce(long from, long to) {
        produce(TOPIC, 3, from, to);
    }

    private void produce(String topic, int partitions, long from, long to) {
        for (long id = from; id < to; id++) {
            String region = new String[] {"eu", "us", "a/b ../x", "東京"}[(int) (id % 4)];
            long micros = 1_770_796_800_000_000L + id * 7_000_000L; // 2026-02-11T08:00Z + 7 s per record
            Struct value = new Struct(ROW).put("id", id).put("region", region)
                    .put("at", isBad(id) ? null : micros).put("payload", "p" + id);
            byte[] bytes = avro.fromConnectData(topic, ROW, value);
            producer.send(new ProducerRecord<>(topic, (int) (id % partitions), null, bytes));
        }
        producer.flush();
    }

    private long parquetRows() {
        return parquetRows(lake.resolve("topics/events"), "count(*)");
    }

    /** {@code aggregate} over the published Parquet files under {@code dir}; 0 when there are none yet. */
    private long parquetRows(Path dir, String aggregate) {
        if (filesEndingWith(dir, ".parquet") == 0) {
            return 0;
        }
        return duck.queryLong("SELECT " + aggregate + " FROM read_parquet('" + dir + "/**/*.parquet')");
    }

    private static long filesEndingWith(Path dir, String suffix) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        } catch (java.io.IOException e) {
            return 0; // not created yet
        }
    }

    /**
     * A worker JVM killed with SIGKILL again and again while records stream in: its task gets no close(), so open
     * files, half-written files and files published but not yet covered by a committed offset are all left as the
     * kill found them. The next worker's task must clean up and resume so every record lands exactly once.
     */
    @Test
    void everyRecordLandsExactlyOnceWhenTheWorkerIsKilledAgainAndAgain() throws Exception {
        String topic = "pg.public.killed";
        connect.createTopic(topic, 2);
        Path killedLake = Files.createTempDirectory("outflow-lake-killed");
        Path table = killedLake.resolve("topics/killed");
        Map<String, String> config = ExampleConfig.load("sink-local.json")
                .with("tasks.max", "2")
                .with("topics.regex", "pg\\.public\\.killed")
                .with("local.dir", killedLake.toString())
                .with("table.name.regex", "pg\\.[^.]+\\.(.*)")
                .with("flush.size", "150")
                .with("rotate.schedule.interval.ms", "300")
                .config();
        String name = "sink-killed";
        String group = "killed-workers";
        long seed = System.nanoTime();
        Random random = new Random(seed);
        // Records keep streaming in (50 every 50 ms) through every kill and restart.
        AtomicLong produced = new AtomicLong();
        AtomicBoolean streaming = new AtomicBoolean(true);
        Thread stream = new Thread(() -> {
            while (streaming.get()) {
                long from = produced.get();
                produce(topic, 2, from, from + 50);
                produced.set(from + 50);
                Utils.sleep(50);
            }
        }, "killed-stream");
        ConnectWorkerProcess worker = ConnectWorkerProcess.startOnTestClasspath(
                connect.bootstrapServers(), group, registry, Map.of());
        try {
            worker.configureConnector(name, config);
            worker.awaitRunning(name, 2, TIMEOUT);
            stream.start();
            for (int kill = 0; kill < 4; kill++) {
                // Past the first published files and at least one offset commit (1 s), then anywhere.
                Thread.sleep(1_500 + random.nextInt(2_500));
                worker.kill();
                worker = ConnectWorkerProcess.startOnTestClasspath(connect.bootstrapServers(), group, registry,
                        Map.of());
                worker.awaitRunning(name, 2, TIMEOUT);
            }
            Thread.sleep(1_000);
            streaming.set(false);
            stream.join();
            long total = produced.get();
            ConnectWorkerProcess last = worker;
            TestUtils.waitForCondition(() -> parquetRows(table, "count(*)") >= total
                    && filesEndingWith(table, ".inprogress") == 0, TIMEOUT.toMillis(),
                    () -> "expected " + total + " rows, found " + parquetRows(table, "count(*)") + " (seed " + seed
                            + "); status " + last.connectorStatus(name));
            assertEquals(total, parquetRows(table, "count(*)"), "seed " + seed);
            assertEquals(total, parquetRows(table, "count(DISTINCT id)"), "seed " + seed);
            assertEquals(total - 1, parquetRows(table, "max(id)"), "seed " + seed);
            assertEquals(0, filesEndingWith(table, ".inprogress"), "files the killed attempts left behind");
        } finally {
            streaming.set(false);
            worker.close();
        }
    }

    @Test
    void everyGoodRecordLandsExactlyOnceDespiteRestartsAndBadRecordsGoToTheDlq() throws Exception {
        Map<String, String> config = ExampleConfig.load("sink-local.json")
                .with("tasks.max", "2")
                .with("topics.regex", "pg\\.public\\.events")
                .with("local.dir", lake.toString())
                .with("partitioner.class", "field_time")
                .with("partition.field.name", "region")
                .with("timestamp.extractor", "RecordField")
                .with("timestamp.field", "at")
                .with("partition.granularity", "hour")
                .with("table.name.regex", "pg\\.[^.]+\\.(.*)")
                .with("flush.size", "25")
                .with("rotate.schedule.interval.ms", "400")
                .with("errors.tolerance", "all")
                .with("errors.deadletterqueue.topic.name", DLQ)
                .with("errors.deadletterqueue.topic.replication.factor", "1")
                .config();
        String name = "sink-eos";
        connect.configureConnector(name, config);
        connect.awaitRunning(name, 2, TIMEOUT);

        int chunks = 10;
        for (int c = 0; c < chunks; c++) {
            produce((long) c * RECORDS / chunks, (long) (c + 1) * RECORDS / chunks);
            Thread.sleep(1_100); // past the file age and, sometimes, the offset commit interval (1 s)
            // A restart closes the tasks mid-stream (open files dropped) and reopens them (recovery runs).
            int status = connect.rest("POST", "/connectors/" + name + "/restart?includeTasks=true&onlyFailed=false",
                    null).status();
            assertTrue(status == 202 || status == 204, "restart returned " + status);
        }
        connect.awaitRunning(name, 2, TIMEOUT);

        long good = java.util.stream.LongStream.range(0, RECORDS).filter(id -> !isBad(id)).count();
        TestUtils.waitForCondition(() -> parquetRows() == good, TIMEOUT.toMillis(),
                () -> "expected " + good + " rows, found " + parquetRows() + "; status "
                        + connect.connectorStatus(name));
        assertEquals(good, duck.queryLong("SELECT count(DISTINCT id) FROM read_parquet('" + lake.resolve("topics/events")
                + "/**/*.parquet')"));
        // Each row sits in the directory its own region and hour name.
        String files = "read_parquet('" + lake.resolve("topics/events") + "/**/*.parquet', filename=true)";
        String utc = "timezone('UTC', \"at\")";
        assertEquals(0, duck.queryLong("SELECT count(*) FROM " + files + " WHERE NOT contains(filename, "
                + "'/region=' || replace(region, '/', '%2F') || '/year=' || strftime(" + utc + ", '%Y') || '/month='"
                + " || strftime(" + utc + ", '%m') || '/day=' || strftime(" + utc + ", '%d') || '/hour=' || "
                + "strftime(" + utc + ", '%H') || '/events+')"));
        assertEquals(4, duck.queryLong("SELECT count(DISTINCT region) FROM " + files));
        // The hostile region value stayed one directory level.
        try (Stream<Path> dirs = Files.list(lake.resolve("topics/events"))) {
            assertEquals(4, dirs.count());
        }
        assertTrue(Files.isDirectory(lake.resolve("topics/events/region=a%2Fb ..%2Fx")));

        // Connect's dead letter queue is at-least-once: a bad record reported before a restart is reported again
        // when its range is replayed. Every bad record must be there, and nothing else.
        java.util.Set<Long> badIds = java.util.stream.LongStream.range(0, RECORDS).filter(SinkExactlyOnceIT::isBad)
                .boxed().collect(java.util.stream.Collectors.toSet());
        java.util.Set<Long> inDlq = new java.util.HashSet<>();
        for (var r : connect.connect().kafka().consumeAll(TIMEOUT.toMillis(), DLQ)) {
            inDlq.add(((Struct) avro.toConnectData(TOPIC, r.value()).value()).getInt64("id"));
        }
        assertEquals(badIds, inDlq);
        TestUtils.waitForCondition(() -> connect.connectorStatus(name).contains("RUNNING")
                && !connect.connectorStatus(name).contains("FAILED"), 10_000, "sink not RUNNING");
    }
}
