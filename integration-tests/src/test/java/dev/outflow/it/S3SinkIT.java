package dev.outflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.DuckDb;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.FaultyHttpProxy;
import dev.outflow.testing.FaultyHttpProxy.Fault;
import dev.outflow.testing.Ports;
import dev.outflow.testing.S3Server;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * The sink writing to S3 through a real Connect worker, from Avro records made by the real converter, with
 * S3Proxy behind a proxy that fails a share of all requests: the task stays RUNNING and every row lands exactly
 * once. And {@code validate()} through the REST API, reporting each S3 problem on the key to fix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3SinkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String TOPIC = "pg.public.events";
    private static final Schema VALUE = SchemaBuilder.struct().name("pg.public.events.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field("payload", Schema.STRING_SCHEMA)
            .build();

    private S3Server s3;
    private FaultyHttpProxy proxy;
    private SchemaRegistryServer registry;
    private ConnectCluster connect;

    @BeforeAll
    void start() {
        s3 = S3Server.start();
        proxy = FaultyHttpProxy.start(s3.endpoint());
        registry = SchemaRegistryServer.start();
        connect = ConnectCluster.start(registry);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {connect, registry, proxy, s3}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** config/sink-s3.json pointed at S3Proxy (directly, or through the fault proxy). */
    private ExampleConfig sink(String bucket, boolean throughFaults) {
        return ExampleConfig.load("sink-s3.json")
                .with("s3.bucket.name", bucket)
                .with("s3.region", s3.region())
                .with("store.url", (throughFaults ? proxy.endpoint() : s3.endpoint()).toString())
                .with("aws.access.key.id", s3.accessKey())
                .with("aws.secret.access.key", s3.secretKey());
    }

    // ---- end to end ------------------------------------------------------------------------------------------

    private static final int PARTITIONS = 2;
    private static final int ROWS_PER_ROUND = 8_000;

    /** Records with ids [from, to), spread over the partitions, each with ~2 KiB of incompressible text. */
    private void produce(long from, long to) throws Exception {
        produce(TOPIC, from, to);
    }

    private void produce(String topic, long from, long to) throws Exception {
        Converter converter = connect.avroConverter(false);
        Random random = new Random(from);
        byte[] noise = new byte[1536];
        try (KafkaProducer<byte[], byte[]> producer = connect.connect().kafka().createProducer(Map.of())) {
            for (long id = from; id < to; id++) {
                random.nextBytes(noise);
                Struct value = new Struct(VALUE).put("id", id).put("payload", Base64.getEncoder().encodeToString(noise));
                producer.send(new ProducerRecord<>(topic, (int) (id % PARTITIONS), null,
                        converter.fromConnectData(topic, VALUE, value)));
            }
            producer.flush();
        }
    }

    private Map<TopicPartition, Long> committed(String connector) throws Exception {
        try (Admin admin = connect.connect().kafka().createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin
                    .listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = connect.connect().kafka().createAdminClient()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    /** Waits until the sink has committed everything in the topic: all of it is then in published files. */
    private void awaitAllCommitted(String connector) throws Exception {
        awaitAllCommitted(connector, TOPIC);
    }

    private void awaitAllCommitted(String connector, String topic) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(topic);
        TestUtils.waitForCondition(() -> committed(connector).entrySet().containsAll(end.entrySet()),
                TIMEOUT.toMillis(),
                () -> "sink did not commit up to " + end + "; status " + connect.connectorStatus(connector));
    }

    private void assertRunning(String connector) throws Exception {
        JsonNode status = JSON.readTree(connect.connectorStatus(connector));
        assertEquals("RUNNING", status.path("connector").path("state").asText(), status.toPrettyString());
        assertEquals(1, status.path("tasks").size(), status.toPrettyString());
        assertEquals("RUNNING", status.path("tasks").get(0).path("state").asText(), status.toPrettyString());
    }

    @Test
    void everyRowLandsExactlyOnceWhileS3KeepsFailing() throws Exception {
        String bucket = "events-lake";
        s3.createBucket(bucket);
        connect.createTopic(TOPIC, PARTITIONS);
        // Each kind of request fails once in a planned way, and 15 % of all requests fail at random, in every way
        // S3 fails; each request gets up to 10 retries.
        Map<String, Fault> planned = Map.of("ListObjectsV2", Fault.DROP_BEFORE, "ListMultipartUploads",
                Fault.HTTP_500, "CreateMultipartUpload", Fault.DROP_AFTER, "UploadPart", Fault.DROP_AFTER,
                "CompleteMultipartUpload", Fault.ERROR_IN_200, "PutObject", Fault.HTTP_503, "HeadObject",
                Fault.HTTP_503, "GetObject", Fault.DROP_BEFORE);
        proxy.policy(FaultyHttpProxy.firstOfEach(planned, FaultyHttpProxy.random(7, 0.15, Fault.HTTP_500,
                Fault.HTTP_503, Fault.DROP_BEFORE, Fault.DROP_AFTER, Fault.ERROR_IN_200)));
        ExampleConfig sink = sink(bucket, true)
                .with("topics.regex", "pg\\.public\\.events")
                .with("flush.size", "3000") // ~6 MiB files: multipart uploads of 5 MiB parts
                .with("s3.part.size", Integer.toString(5 * 1024 * 1024))
                .with("s3.part.retries", "10")
                .with("s3.retry.backoff.ms", "10")
                .with("rotate.schedule.interval.ms", "3000"); // the 1,000-row tails: single PUTs
        connect.configureConnector(sink.name(), sink.config());
        connect.awaitRunning(sink.name(), 1, TIMEOUT);

        produce(0, ROWS_PER_ROUND);
        awaitAllCommitted(sink.name());
        assertRunning(sink.name());

        // A restart recovers (list, footers, leftover uploads) through the same faults, then carries on.
        connect.rest("POST", "/connectors/" + sink.name() + "/restart?includeTasks=true", null);
        connect.awaitRunning(sink.name(), 1, TIMEOUT);
        produce(ROWS_PER_ROUND, 2 * ROWS_PER_ROUND);
        awaitAllCommitted(sink.name());
        assertRunning(sink.name());
        proxy.policy(FaultyHttpProxy.none());

        Path lake = s3.download(bucket, "raw/topics/", Files.createTempDirectory("outflow-s3-lake"));
        try (DuckDb duck = DuckDb.open()) {
            String rows = DuckDb.parquetGlob(lake.resolve(TOPIC));
            long n = 2L * ROWS_PER_ROUND;
            assertEquals(n, duck.queryLong("SELECT count(*) FROM " + rows), "every row, none twice");
            assertEquals(n, duck.queryLong("SELECT count(DISTINCT id) FROM " + rows));
            assertEquals(n * (n - 1) / 2, duck.queryLong("SELECT sum(id) FROM " + rows));
            assertEquals(n * 2048, duck.queryLong("SELECT sum(length(payload)) FROM " + rows));
            assertEquals(PARTITIONS, duck.queryLong("SELECT count(DISTINCT partition) FROM " + rows));
        }
        List<String> keys = s3.listKeys(bucket, "raw/topics/");
        assertTrue(keys.stream().allMatch(k -> k.matches("raw/topics/" + TOPIC.replace(".", "\\.")
                + "/partition=\\d/" + TOPIC.replace(".", "\\.") + "\\+\\d\\+\\d{10}\\.snappy\\.parquet")), keys.toString());

        assertEquals(planned.keySet(), proxy.exchanges().stream().filter(e -> e.fault() != Fault.NONE)
                .map(e -> e.request().operation()).collect(Collectors.toSet()), "every kind of request failed");
        Map<Fault, Integer> faults = proxy.faultCounts();
        assertTrue(faults.size() - 1 >= 5 && proxy.exchanges().stream().filter(e -> e.fault() != Fault.NONE).count()
                > planned.size(), "random faults on top of the planned ones: " + faults);
        assertTrue(proxy.exchanges().stream().anyMatch(e -> e.request().operation().equals("UploadPart")),
                "some files went up as multipart uploads");
        assertTrue(proxy.exchanges().stream().anyMatch(e -> e.request().operation().equals("PutObject")),
                "some files went up with one PUT");
        connect.deleteConnector(sink.name());
    }

    // ---- validate() ------------------------------------------------------------------------------------------

    /** Key name -> its error messages, for the keys that have any. */
    private Map<String, List<String>> errors(Map<String, String> settings) throws Exception {
        Map<String, String> config = new HashMap<>(settings);
        config.put("name", "validation-test");
        String body = connect.restPut("/connector-plugins/ParquetSinkConnector/config/validate",
                JSON.writeValueAsString(config));
        Map<String, List<String>> errors = new HashMap<>();
        for (JsonNode c : JSON.readTree(body).get("configs")) {
            JsonNode value = c.get("value");
            if (value.get("errors").size() > 0) {
                errors.put(value.get("name").asText(), JSON.convertValue(value.get("errors"),
                        JSON.getTypeFactory().constructCollectionType(List.class, String.class)));
            }
        }
        return errors;
    }

    private void assertOnlyError(Map<String, String> config, String key, String... fragments) throws Exception {
        Map<String, List<String>> errors = errors(config);
        assertEquals(List.of(key), List.copyOf(errors.keySet()), errors.toString());
        String message = errors.get(key).get(0);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "'" + fragment + "' missing from: " + message);
        }
    }

    @Test
    void validateReportsEachS3ProblemOnTheKeyToFix() throws Exception {
        String bucket = "validated-lake";
        s3.createBucket(bucket);
        Map<String, String> good = sink(bucket, false).config();
        assertEquals(Map.of(), errors(good));

        Map<String, String> c = new HashMap<>(good);
        c.remove("s3.bucket.name");
        assertOnlyError(c, "s3.bucket.name", "required");

        c = new HashMap<>(good);
        c.put("s3.bucket.name", "no-such-lake");
        assertOnlyError(c, "s3.bucket.name", "no-such-lake", "does not exist", "create it");

        c = new HashMap<>(good);
        c.put("aws.secret.access.key", "not-the-secret");
        assertOnlyError(c, "aws.secret.access.key", "does not belong to aws.access.key.id");

        c = new HashMap<>(good);
        c.put("aws.access.key.id", "AKIAUNKNOWN");
        assertOnlyError(c, "aws.access.key.id", "does not know the access key id");

        c = new HashMap<>(good);
        c.remove("aws.secret.access.key");
        assertOnlyError(c, "aws.secret.access.key", "set both");

        c = new HashMap<>(good);
        c.put("store.url", "http://127.0.0.1:" + Ports.freePort());
        assertOnlyError(c, "store.url", "Cannot reach", "running and reachable");

        c = new HashMap<>(good);
        c.put("store.url", "minio:9000");
        assertOnlyError(c, "store.url", "http://");

        c = new HashMap<>(good);
        c.put("s3.sse.kms.key.id", "alias/lake");
        assertOnlyError(c, "s3.ssea.name", "aws:kms");

        c = new HashMap<>(good);
        c.put("s3.part.size", "1048576");
        assertOnlyError(c, "s3.part.size", "5242880");
    }
}
