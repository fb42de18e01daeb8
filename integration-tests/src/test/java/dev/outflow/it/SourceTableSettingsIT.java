package dev.outflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Field;
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
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.PostgresServer;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * Per-table overrides ({@code table.overrides}) and the initial position, through a real PostgreSQL and a real
 * Connect worker with the Avro converter: several tables, each read its own way, in one connector.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourceTableSettingsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2025-06-01T00:00:00Z in epoch milliseconds. */
    private static final long BASE_MS = 1_748_736_000_000L;
    private static final String BASE = "timestamptz '2025-06-01 00:00:00+00'";

    private PostgresServer pg;
    private SchemaRegistryServer registry;
    private ConnectCluster connect;
    private Converter values;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        registry = SchemaRegistryServer.start();
        // Retention is checked every second (Kafka: 5 minutes), so the record-timestamp test sees it act.
        connect = ConnectCluster.start(registry, Map.of(), Map.of("log.retention.check.interval.ms", "1000"));
        values = connect.avroConverter(false);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {connect, registry, pg}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private Map<String, String> source(String includeList, String... settings) {
        Map<String, String> config = ExampleConfig.load("source-postgres.json")
                .with("connection.url", pg.jdbcUrl())
                .with("connection.user", pg.user())
                .with("connection.password", pg.password())
                .with("table.include.list", includeList)
                .with("topic.prefix", "t.")
                .with("poll.interval.ms", "200")
                .with("table.poll.interval.ms", "1000")
                .config();
        for (int i = 0; i < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        return config;
    }

    @Test
    void tablesWithTheirOwnModeColumnsAndTopicInOneConnector() throws Exception {
        pg.execute("CREATE TABLE public.ov_orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, "
                        + "note text, secret text)",
                "INSERT INTO public.ov_orders SELECT i, " + BASE + " + i * interval '1 second', 'n' || i, 'pw' "
                        + "FROM generate_series(1, 50) i",
                // No column "id": the connector-wide incrementing.column.name cannot read it.
                "CREATE TABLE public.ov_events (seq bigint PRIMARY KEY, kind text, payload text)",
                "INSERT INTO public.ov_events SELECT i, 'k' || (i % 3), repeat('x', 20) FROM generate_series(1, 30) i",
                "CREATE TABLE public.ov_plain (id bigint PRIMARY KEY, v text)",
                "INSERT INTO public.ov_plain SELECT i, 'p' FROM generate_series(1, 10) i");
        Map<String, String> config = source("public\\.ov_.*", "mode", "incrementing",
                "incrementing.column.name", "id",
                "table.overrides", "orders,events",
                "table.override.orders.table", "public.ov_orders",
                "table.override.orders.mode", "timestamp",
                "table.override.orders.timestamp.column.name", "updated_at",
                "table.override.orders.topic", "orders-v2",
                "table.override.orders.column.exclude.list", "secret",
                "table.override.events.table", "public.ov_events",
                "table.override.events.incrementing.column.name", "seq",
                "table.override.events.column.include.list", "kind");
        assertEquals(Map.of(), errors(config));
        connect.configureConnector("overrides", config);
        connect.awaitRunning("overrides", 1, TIMEOUT);
        awaitCount("orders-v2", 50);
        awaitCount("t.public.ov_events", 30);
        awaitCount("t.public.ov_plain", 10);

        // Timestamp mode sees an update; incrementing mode (the connector's) would not.
        pg.execute("UPDATE public.ov_orders SET updated_at = " + BASE + " + interval '1 hour', note = 'changed' "
                + "WHERE id = 7");
        awaitCount("orders-v2", 51);
        connect.deleteConnector("overrides");

        List<Struct> orders = rows("orders-v2");
        assertEquals(51, orders.size());
        assertEquals(List.of("id", "updated_at", "note"), fieldNames(orders.get(0)));
        assertEquals("changed", orders.get(50).get("note"));
        assertEquals(7L, orders.get(50).get("id"));
        List<Struct> events = rows("t.public.ov_events");
        assertEquals(30, events.size());
        assertEquals(List.of("seq", "kind"), fieldNames(events.get(0)));
        assertEquals(30L, events.stream().map(e -> e.get("seq")).distinct().count());
        List<Struct> plain = rows("t.public.ov_plain");
        assertEquals(List.of("id", "v"), fieldNames(plain.get(0)));
        assertEquals(10, plain.size());
        assertTrue(!topicExists("t.public.ov_orders"), "the orders override topic was not used");
    }

    @Test
    void validateReportsOverrideProblemsOnTheOverrideKeys() throws Exception {
        pg.execute("CREATE TABLE public.ovv (id bigint PRIMARY KEY, note text)");
        Map<String, List<String>> errors = errors(source("public\\.ovv",
                "table.overrides", "a,b",
                "table.override.a.table", "public.ovv",
                "table.override.a.mode", "timestamp",
                "table.override.a.column.exclude.list", "id",
                "table.override.b.table", "public.missing"));
        assertEquals(List.of("table.override.a.timestamp.column.name", "table.override.b.table"),
                errors.keySet().stream().sorted().toList(), errors.toString());
        assertTrue(errors.get("table.override.b.table").get(0).contains("public.missing"), errors.toString());

        errors = errors(source("public\\.ovv", "table.overrides", "a", "table.override.a.table", "public.ovv",
                "table.override.a.column.exclude.list", "id"));
        assertEquals(List.of("table.override.a.column.exclude.list"), List.copyOf(errors.keySet()));
        assertTrue(errors.values().iterator().next().get(0).contains("primary key"), errors.toString());

        errors = errors(source("public\\.ovv", "table.overrides", "a", "table.override.a.table", "public.ovv",
                "table.override.a.mode", "sometimes"));
        assertEquals(List.of("table.override.a.mode"), List.copyOf(errors.keySet()));
    }

    @Test
    void eachTableStartsWhereItsInitialPositionSays() throws Exception {
        pg.execute("CREATE TABLE public.ip_latest (id bigint PRIMARY KEY, v text)",
                "INSERT INTO public.ip_latest SELECT i, 'old' FROM generate_series(1, 100) i",
                "CREATE TABLE public.ip_value (id bigint PRIMARY KEY, v text)",
                "INSERT INTO public.ip_value SELECT i, 'v' FROM generate_series(1, 50) i",
                "CREATE TABLE public.ip_ts (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)",
                "INSERT INTO public.ip_ts SELECT i, " + BASE + " + i * interval '1 second' FROM generate_series(1, 50) i",
                "CREATE TABLE public.ip_ts_latest (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT "
                        + "now())",
                "INSERT INTO public.ip_ts_latest SELECT i, " + BASE + " FROM generate_series(1, 20) i",
                "CREATE TABLE public.ip_all (id bigint PRIMARY KEY)",
                "INSERT INTO public.ip_all SELECT i FROM generate_series(1, 5) i");
        Map<String, String> config = source("public\\.ip_.*", "mode", "incrementing",
                "table.overrides", "latest,value,ts,tslatest",
                "table.override.latest.table", "public.ip_latest",
                "table.override.latest.initial.position", "latest",
                "table.override.value.table", "public.ip_value",
                "table.override.value.initial.position", "value",
                "table.override.value.incrementing.initial", "40",
                "table.override.ts.table", "public.ip_ts",
                "table.override.ts.mode", "timestamp",
                "table.override.ts.timestamp.column.name", "updated_at",
                "table.override.ts.initial.position", "value",
                "table.override.ts.timestamp.initial", Long.toString(BASE_MS + 30_000),
                "table.override.tslatest.table", "public.ip_ts_latest",
                "table.override.tslatest.mode", "timestamp",
                "table.override.tslatest.timestamp.column.name", "updated_at",
                "table.override.tslatest.initial.position", "latest");
        assertEquals(Map.of(), errors(config));
        connect.configureConnector("initial", config);
        connect.awaitRunning("initial", 1, TIMEOUT);
        awaitCount("t.public.ip_value", 10);
        awaitCount("t.public.ip_ts", 21);
        awaitCount("t.public.ip_all", 5);
        Thread.sleep(1_500); // every table of the task has had its first poll (200 ms apart)
        pg.execute("INSERT INTO public.ip_latest SELECT i, 'new' FROM generate_series(101, 105) i",
                "INSERT INTO public.ip_ts_latest (id) SELECT i FROM generate_series(21, 23) i");
        awaitCount("t.public.ip_latest", 5);
        awaitCount("t.public.ip_ts_latest", 3);
        connect.deleteConnector("initial");

        assertEquals(List.of(101L, 102L, 103L, 104L, 105L), ids("t.public.ip_latest"));
        assertEquals(range(41, 50), ids("t.public.ip_value"));
        assertEquals(range(30, 50), ids("t.public.ip_ts"));
        assertEquals(List.of(21L, 22L, 23L), ids("t.public.ip_ts_latest"));
        assertEquals(range(1, 5), ids("t.public.ip_all"));
    }

    /**
     * Why {@code record.timestamp} defaults to {@code produce}: Kafka's time retention deletes by record timestamp,
     * and rolls even the active segment once all its records are older than {@code retention.ms}. A backfill of
     * month-old rows stamped with their watermark is deleted by the next retention check (Kafka's default: within 5
     * minutes), whether or not the sink has read it; with the default, the same rows stay.
     */
    @Test
    void theDefaultRecordTimestampKeepsABackfillOfOldRowsUnderTimeRetention() throws Exception {
        pg.execute("CREATE TABLE public.history (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)",
                "INSERT INTO public.history SELECT i, now() - interval '30 days' + i * interval '1 second' "
                        + "FROM generate_series(1, 100) i");
        // Kafka's default retention, 7 days, set explicitly so the test does not depend on the broker default.
        Map<String, String> week = Map.of("retention.ms", String.valueOf(Duration.ofDays(7).toMillis()));
        connect.createTopic("t.public.history", 1, week);
        connect.createTopic("w.public.history", 1, week);
        String[] timestampMode = {"mode", "timestamp", "timestamp.column.name", "updated_at"};
        connect.configureConnector("history-default", source("public\\.history", timestampMode));
        Map<String, String> watermark = source("public\\.history", timestampMode);
        watermark.put("topic.prefix", "w.");
        watermark.put("record.timestamp", "watermark");
        connect.configureConnector("history-watermark", watermark);

        TestUtils.waitForCondition(() -> latestOffset("t.public.history") == 100
                && latestOffset("w.public.history") == 100, TIMEOUT.toMillis(), "both topics received 100 records");
        TestUtils.waitForCondition(() -> earliestOffset("w.public.history") == 100, TIMEOUT.toMillis(),
                "the broker deleted the watermark-stamped backfill");
        connect.deleteConnector("history-default");
        connect.deleteConnector("history-watermark");
        assertEquals(0, earliestOffset("t.public.history"), "the default-stamped backfill was deleted too");
        assertEquals(range(1, 100), ids("t.public.history"));
    }

    private long latestOffset(String topic) throws Exception {
        return listOffset(topic, OffsetSpec.latest());
    }

    private long earliestOffset(String topic) throws Exception {
        return listOffset(topic, OffsetSpec.earliest());
    }

    private long listOffset(String topic, OffsetSpec spec) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (var admin = connect.connect().kafka().createAdminClient()) {
            return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get().offset();
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> ids = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            ids.add(i);
        }
        return ids;
    }

    private static List<String> fieldNames(Struct s) {
        return s.schema().fields().stream().map(Field::name).toList();
    }

    private List<Long> ids(String topic) {
        return rows(topic).stream().map(s -> ((Number) s.get("id")).longValue()).toList();
    }

    /** Every record of the topic (read to its end offset), as value structs in topic order. */
    private List<Struct> rows(String topic) {
        List<Struct> rows = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = connect.connect().kafka().createConsumer(Map.of(
                "enable.auto.commit", "false"))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("could not read " + topic + " to " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    rows.add((Struct) values.toConnectData(topic, r.value()).value());
                }
            }
        }
        return rows;
    }

    private boolean topicExists(String topic) throws Exception {
        try (var admin = connect.connect().kafka().createAdminClient()) {
            return admin.listTopics().names().get().contains(topic);
        }
    }

    private void awaitCount(String topic, int expected) throws Exception {
        TestUtils.waitForCondition(() -> topicExists(topic), TIMEOUT.toMillis(), "topic " + topic);
        connect.connect().kafka().consume(expected, TIMEOUT.toMillis(), topic);
    }

    private Map<String, List<String>> errors(Map<String, String> settings) throws Exception {
        Map<String, String> config = new HashMap<>(settings);
        config.put("name", "validation-test");
        JsonNode result = JSON.readTree(connect.restPut("/connector-plugins/PostgresSourceConnector/config/validate",
                JSON.writeValueAsString(config)));
        Map<String, List<String>> errors = new HashMap<>();
        for (JsonNode c : result.get("configs")) {
            JsonNode value = c.get("value");
            if (value.get("errors").size() > 0) {
                List<String> messages = new ArrayList<>();
                value.get("errors").forEach(e -> messages.add(e.asText()));
                errors.put(value.get("name").asText(), messages);
            }
        }
        return errors;
    }
}
