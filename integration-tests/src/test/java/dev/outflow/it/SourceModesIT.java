package dev.outflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.PostgresServer;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * The source's modes, offsets and operations through a real PostgreSQL and a real Connect worker with
 * exactly-once source support enabled (KIP-618): each connector here requires it, so the worker accepts it only
 * because the connector declares SUPPORTED, and the topics are read with read_committed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourceModesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2025-06-01T00:00:00.123456Z: every test timestamp has microseconds a millisecond cut would lose. */
    private static final long BASE_MICROS = 1_748_736_000_123_456L;
    private static final String BASE = "timestamptz '2025-06-01 00:00:00.123456+00'";

    private PostgresServer pg;
    private SchemaRegistryServer registry;
    private ConnectCluster connect;
    private Converter values;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        registry = SchemaRegistryServer.start();
        connect = ConnectCluster.start(registry, Map.of("exactly.once.source.support", "enabled"));
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
                .with("topic.prefix", "m.")
                .with("poll.interval.ms", "200")
                .with("table.poll.interval.ms", "1000")
                .with("connection.backoff.ms", "500")
                .with("exactly.once.support", "required")
                .config();
        for (int i = 0; i < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        return config;
    }

    private void create(String name, Map<String, String> config, int tasks) {
        connect.configureConnector(name, config);
        connect.awaitRunning(name, tasks, TIMEOUT);
    }

    /**
     * Every committed record of the topic, as value structs in topic order. Only once the connector is stopped or
     * deleted: while a transaction is open, read_committed never reaches the end of the topic.
     */
    private List<Struct> rows(String topic) throws Exception {
        List<Struct> rows = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records(topic)) {
            rows.add((Struct) values.toConnectData(topic, r.value()).value());
        }
        return rows;
    }

    /** Every committed record, read until the consumer's position reaches the last stable offset. */
    private List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = connect.connect().kafka().createConsumer(Map.of(
                "isolation.level", "read_committed", "enable.auto.commit", "false"))) {
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
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private List<Long> ids(String topic) throws Exception {
        return rows(topic).stream().map(s -> ((Number) s.get("id")).longValue()).toList();
    }

    private boolean topicExists(String topic) throws Exception {
        try (var admin = connect.connect().kafka().createAdminClient()) {
            return admin.listTopics().names().get().contains(topic);
        }
    }

    /** Waits until at least {@code expected} committed records are in the topic. */
    private void awaitCount(String topic, int expected, String connector) throws Exception {
        TestUtils.waitForCondition(() -> topicExists(topic), TIMEOUT.toMillis(), "topic " + topic);
        try {
            connect.connect().kafka().consume(expected, TIMEOUT.toMillis(), Map.of("isolation.level",
                    "read_committed"), topic);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("expected " + expected + " records in " + topic + "; status: "
                    + connect.connectorStatus(connector), e);
        }
    }

    /** Exactly the ids {@code from..to}, each once. */
    private void assertEachOnce(String topic, long from, long to) throws Exception {
        List<Long> ids = ids(topic);
        Set<Long> distinct = new HashSet<>(ids);
        List<Long> missing = new ArrayList<>();
        for (long id = from; id <= to && missing.size() < 50; id++) {
            if (!distinct.contains(id)) {
                missing.add(id);
            }
        }
        assertEquals(List.of(), missing, "ids missing from " + topic);
        assertEquals(to - from + 1, ids.size(), "records in " + topic);
        assertEquals(ids.size(), distinct.size(), "duplicates in " + topic);
        for (long id = from; id <= to; id++) {
            assertTrue(distinct.contains(id), "id " + id + " missing from " + topic);
        }
    }

    private JsonNode offset(String connector) throws Exception {
        JsonNode offsets = JSON.readTree(connect.restGet("/connectors/" + connector + "/offsets")).get("offsets");
        return offsets.isEmpty() ? null : offsets.get(0).get("offset");
    }

    @Test
    void rowsSharingOneTimestampSurviveAStopInTheirMiddle() throws Exception {
        // 100 rows before, 9,800 rows with one single timestamp, 100 after.
        pg.execute("CREATE TABLE public.same_ts (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, "
                + "note text)",
                "INSERT INTO public.same_ts SELECT i, CASE WHEN i <= 100 THEN " + BASE + " - (101 - i) * "
                        + "interval '1 second' WHEN i <= 9900 THEN " + BASE + " ELSE " + BASE + " + (i - 9900) * "
                        + "interval '1 second' END, 'row ' || i FROM generate_series(1, 10000) i");
        String name = "same-ts";
        create(name, source("public\\.same_ts", "mode", "timestamp", "timestamp.column.name", "updated_at",
                "batch.max.rows", "20"), 1);
        // Stop while the committed position is inside the run of equal timestamps.
        TestUtils.waitForCondition(() -> {
            JsonNode o = offset(name);
            return o != null && o.get("timestamp_micros").asLong() == BASE_MICROS
                    && o.get("tiebreaker").asLong() > 200;
        }, TIMEOUT.toMillis(), "never saw a position inside the equal timestamps");
        connect.stopConnector(name);
        JsonNode stoppedAt = offset(name);
        long tiebreaker = stoppedAt.get("tiebreaker").asLong();
        assertEquals(BASE_MICROS, stoppedAt.get("timestamp_micros").asLong(), stoppedAt.toString());
        assertTrue(tiebreaker > 100 && tiebreaker < 9900, "stopped at " + stoppedAt);
        assertEquals(tiebreaker, ids("m.public.same_ts").size(), "records so far = rows up to the offset");

        connect.restPut("/connectors/" + name + "/resume", null);
        awaitCount("m.public.same_ts", 10_000, name);
        connect.deleteConnector(name);
        assertEachOnce("m.public.same_ts", 1, 10_000);
    }

    @Test
    void aRowOfATransactionHeldOpenAcrossPollsStillArrives() throws Exception {
        pg.execute("CREATE TABLE public.late (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())",
                "INSERT INTO public.late (id) VALUES (1)");
        String name = "late";
        String topic = "m.public.late";
        create(name, source("public\\.late", "mode", "timestamp", "timestamp.column.name", "updated_at"), 1);
        awaitCount(topic, 1, name);

        try (Connection held = pg.connect(); Statement st = held.createStatement()) {
            held.setAutoCommit(false);
            // Its updated_at is now(): the start of this transaction, before row 3's.
            st.execute("INSERT INTO public.late (id) VALUES (2)");
            Thread.sleep(300);
            pg.execute("INSERT INTO public.late (id) VALUES (3)");
            Thread.sleep(2_000); // ten poll intervals
            // Row 3 is newer than the open transaction's start: reading it would move the watermark past row 2.
            // (With exactly-once, the committed offset is exactly what the topic holds.)
            assertEquals(1, offset(name).get("tiebreaker").asLong(), "read past an open transaction");
            held.commit();
        }
        awaitCount(topic, 3, name);
        connect.deleteConnector(name);
        assertEachOnce(topic, 1, 3);
    }

    @Test
    void offsetsAreReadAlteredAndResetThroughTheRestApi() throws Exception {
        pg.execute("CREATE TABLE public.kip (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)",
                "INSERT INTO public.kip SELECT i, " + BASE + " + i * interval '1 second' FROM generate_series(1, 100) i");
        String name = "kip";
        String topic = "m.public.kip";
        create(name, source("public\\.kip", "mode", "timestamp+incrementing", "timestamp.column.name",
                "updated_at", "incrementing.column.name", "id"), 1);
        awaitCount(topic, 100, name);
        connect.stopConnector(name);
        JsonNode offset = offset(name);
        assertEquals(BASE_MICROS + 100_000_000L, offset.get("timestamp_micros").asLong(), offset.toString());
        assertEquals(100, offset.get("incrementing").asLong(), offset.toString());

        String path = "/connectors/" + name + "/offsets";
        String partition = "{\"schema\":\"public\",\"table\":\"kip\"}";
        ConnectCluster.RestResponse wrongShape = connect.rest("PATCH", path, "{\"offsets\":[{\"partition\":"
                + partition + ",\"offset\":{\"timestamp\":1}}]}");
        // Connect answers a connector's refusal (a ConnectException from alterOffsets) with 500 and its message.
        assertEquals(500, wrongShape.status(), wrongShape.body());
        assertTrue(wrongShape.body().contains("timestamp_micros"), wrongShape.body());
        ConnectCluster.RestResponse wrongType = connect.rest("PATCH", path, "{\"offsets\":[{\"partition\":"
                + partition + ",\"offset\":{\"timestamp_micros\":\"2025-06-01\",\"incrementing\":1}}]}");
        assertEquals(500, wrongType.status(), wrongType.body());
        assertTrue(wrongType.body().contains("microseconds"), wrongType.body());

        // Back to row 50: rows 51..100 come again, and nothing else.
        connect.restPatch(path, "{\"offsets\":[{\"partition\":" + partition + ",\"offset\":{"
                + "\"timestamp_micros\":" + (BASE_MICROS + 50_000_000L) + ",\"incrementing\":50}}]}");
        connect.restPut("/connectors/" + name + "/resume", null);
        awaitCount(topic, 150, name);
        connect.stopConnector(name);
        List<Long> ids = ids(topic);
        assertEquals(150, ids.size());
        assertEquals(ids.subList(50, 100), ids.subList(100, 150), "replayed rows");
        assertEquals(51L, ids.get(100));

        // Reset: the whole table again.
        connect.restDelete(path);
        connect.restPut("/connectors/" + name + "/resume", null);
        awaitCount(topic, 250, name);
        connect.deleteConnector(name);
    }

    @Test
    void bulkIsRefusedWhenExactlyOnceIsRequiredButRunsWithoutIt() throws Exception {
        pg.execute("CREATE TABLE public.bulk_t (code text, n int)",
                "INSERT INTO public.bulk_t SELECT 'c' || i, i FROM generate_series(1, 30) i");
        ConnectCluster.RestResponse refused = connect.rest("PUT", "/connectors/bulk-eos/config",
                JSON.writeValueAsString(source("public\\.bulk_t", "mode", "bulk")));
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().toLowerCase().contains("exactly"), refused.body());

        // Without the requirement, bulk sends the whole table on every pass (here: at least twice).
        create("bulk", source("public\\.bulk_t", "mode", "bulk", "exactly.once.support", "requested",
                "batch.max.rows", "7", "poll.interval.ms", "500"), 1);
        awaitCount("m.public.bulk_t", 60, "bulk");
        connect.deleteConnector("bulk");
        List<Struct> rows = rows("m.public.bulk_t");
        Map<String, Integer> seen = new HashMap<>();
        rows.forEach(r -> seen.merge((String) r.get("code"), 1, Integer::sum));
        assertEquals(30, seen.size());
        int passes = rows.size() / 30;
        assertTrue(seen.values().stream().allMatch(n -> n >= passes), seen.toString());
    }

    @Test
    void aDatabaseRestartMidReadLosesAndRepeatsNothing() throws Exception {
        pg.execute("CREATE TABLE public.outage (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)",
                "INSERT INTO public.outage SELECT i, " + BASE + " + (i / 100) * interval '1 millisecond' "
                        + "FROM generate_series(1, 20000) i");
        String name = "outage";
        String topic = "m.public.outage";
        create(name, source("public\\.outage", "mode", "timestamp", "timestamp.column.name", "updated_at",
                "batch.max.rows", "25"), 1);
        TestUtils.waitForCondition(() -> {
            JsonNode o = offset(name);
            return o != null && o.get("tiebreaker").asLong() > 1_000;
        }, TIMEOUT.toMillis(), "no progress before the restart");
        pg.restart();
        pg.execute("INSERT INTO public.outage SELECT i, " + BASE + " + interval '1 hour' FROM "
                + "generate_series(20001, 20100) i");
        awaitCount(topic, 20_100, name);
        connect.awaitRunning(name, 1, TIMEOUT);
        connect.deleteConnector(name);
        assertEachOnce(topic, 1, 20_100);
    }

    @Test
    void tablesCreatedAndDroppedWhileRunningAreReassigned() throws Exception {
        String name = "monitor";
        pg.execute("CREATE SCHEMA mon",
                "CREATE TABLE mon.a (id bigint PRIMARY KEY, v text)",
                "INSERT INTO mon.a SELECT i, 'a' FROM generate_series(1, 10) i");
        create(name, source("mon\\..*", "mode", "incrementing", "tasks.max", "2"), 1);
        awaitCount("m.mon.a", 10, name);
        // A partitioned table is read through its parent only: one topic, never one per partition.
        pg.execute("CREATE TABLE mon.p (id bigint NOT NULL, v text, PRIMARY KEY (id)) PARTITION BY RANGE (id)",
                "CREATE TABLE mon.p_1 PARTITION OF mon.p FOR VALUES FROM (0) TO (100)",
                "CREATE TABLE mon.p_2 PARTITION OF mon.p FOR VALUES FROM (100) TO (200)",
                "INSERT INTO mon.p SELECT i, 'p' FROM generate_series(1, 150) i");
        awaitCount("m.mon.p", 150, name);
        connect.awaitRunning(name, 2, TIMEOUT);
        assertFalse(topicExists("m.mon.p_1"), "a partition was read on its own");

        // No table left: the connector keeps one idle task (never zero) and keeps looking.
        pg.execute("DROP TABLE mon.a", "DROP TABLE mon.p");
        connect.awaitRunning(name, 1, TIMEOUT);
        Thread.sleep(2_500);
        connect.awaitRunning(name, 1, TIMEOUT);
        pg.execute("CREATE TABLE mon.b (id bigint PRIMARY KEY, v text)",
                "INSERT INTO mon.b SELECT i, 'b' FROM generate_series(1, 5) i");
        awaitCount("m.mon.b", 5, name);
        connect.deleteConnector(name);
        assertEachOnce("m.mon.p", 1, 150);
        assertEachOnce("m.mon.b", 1, 5);
    }

    @Test
    void columnsAddedAndDroppedWhileRunningArePickedUpWithoutARestart() throws Exception {
        // Recent timestamps: as record timestamps, old ones would fall to the topic's 7-day retention at once.
        long recentMicros = (System.currentTimeMillis() / 1000 - 3600) * 1_000_000L + 123_456L;
        String recent = "to_timestamp(" + recentMicros + " / 1000000.0)";
        pg.execute("CREATE TABLE public.evolve (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, a text)",
                "INSERT INTO public.evolve SELECT i, " + recent + " + i * interval '1 microsecond', 'a' "
                        + "FROM generate_series(1, 3) i");
        String name = "evolve";
        String topic = "m.public.evolve";
        create(name, source("public\\.evolve", "mode", "timestamp", "timestamp.column.name", "updated_at",
                "record.timestamp", "watermark"), 1);
        awaitCount(topic, 3, name);
        pg.execute("ALTER TABLE public.evolve ADD COLUMN b integer",
                "INSERT INTO public.evolve VALUES (4, " + recent + " + interval '1 second', 'a', 44)");
        awaitCount(topic, 4, name);
        pg.execute("ALTER TABLE public.evolve DROP COLUMN a",
                "INSERT INTO public.evolve VALUES (5, " + recent + " + interval '2 second', 55)");
        awaitCount(topic, 5, name);
        connect.deleteConnector(name);
        List<Struct> rows = rows(topic);
        assertEquals(44, rows.get(3).get("b"));
        assertEquals("a", rows.get(3).get("a"));
        assertEquals(55, rows.get(4).get("b"));
        assertTrue(rows.get(4).schema().field("a") == null, rows.get(4).schema().fields().toString());
        // record.timestamp=watermark: Kafka's record timestamp is the row's updated_at, in milliseconds.
        List<Long> timestamps = new ArrayList<>();
        records(topic).forEach(r -> timestamps.add(r.timestamp()));
        assertEquals(recentMicros / 1000 + 1000, timestamps.get(3));
    }

    @Test
    void namesWithSpacesQuotesCapitalsAndUnicodeWorkEndToEnd() throws Exception {
        pg.execute("CREATE SCHEMA \"Sales Dept\"",
                "CREATE TABLE \"Sales Dept\".\"Order \"\"Items\"\" \u00e9t\u00e9\" (\"Id\" bigint PRIMARY KEY, "
                        + "\"Updated At\" timestamptz NOT NULL, \"Qt\u00e9 \"\"x\"\"\" int)",
                "INSERT INTO \"Sales Dept\".\"Order \"\"Items\"\" \u00e9t\u00e9\" SELECT i, " + BASE
                        + " + i * interval '1 second', i FROM generate_series(1, 40) i");
        String name = "quoting";
        // Kafka allows only [a-zA-Z0-9._-] in topic names: every other character becomes '_'.
        String topic = "m.Sales_Dept.Order__Items___t_";
        create(name, source("Sales Dept\\.Order.*", "mode", "timestamp", "timestamp.column.name", "Updated At",
                "batch.max.rows", "15"), 1);
        awaitCount(topic, 40, name);
        connect.deleteConnector(name);
        List<Struct> rows = rows(topic);
        assertEquals(40, rows.size());
        assertEquals(40L, rows.stream().map(r -> r.get("Id")).distinct().count());
    }

    @Test
    void validateReportsPerTableModeProblemsAndAutoChoices() throws Exception {
        pg.execute("CREATE TABLE public.v_nopk (code text, updated_at timestamptz)",
                "CREATE TABLE public.v_serial (id bigserial PRIMARY KEY, note text)",
                "CREATE TABLE public.v_ts (id bigint PRIMARY KEY, updated_at timestamptz, note text)");
        Map<String, List<String>> errors = validate(source("public\\.v_nopk", "mode", "timestamp",
                "timestamp.column.name", "updated_at"));
        assertEquals(Set.of("timestamp.tiebreaker.column.name"), errors.keySet(), errors.toString());
        assertTrue(errors.get("timestamp.tiebreaker.column.name").get(0).contains("public.v_nopk"));

        errors = validate(source("public\\.v_ts", "mode", "timestamp", "timestamp.column.name", "updated_at",
                "timestamp.tiebreaker.column.name", "note"));
        assertTrue(errors.get("timestamp.tiebreaker.column.name").get(0).contains("not unique"), errors.toString());

        errors = validate(source("public\\.v_.*", "mode", "timestamp", "timestamp.column.name", "created"));
        assertEquals(3, errors.get("timestamp.column.name").size(), errors.toString());

        Map<String, String> auto = source("public\\.v_.*", "mode", "auto", "timestamp.column.name", "updated_at",
                "exactly.once.support", "requested");
        assertEquals(Map.of(), validate(auto));
        // A table auto reads in bulk keeps no offset, so exactly-once cannot be required.
        auto.put("exactly.once.support", "required");
        assertEquals(Set.of("exactly.once.support"), validate(auto).keySet());
        auto.put("exactly.once.support", "requested");
        String picks = recommended(auto, "mode");
        assertTrue(picks.contains("public.v_nopk: bulk"), picks);
        assertTrue(picks.contains("public.v_serial: incrementing on (\\\"id\\\")"), picks);
        assertTrue(picks.contains("public.v_ts: timestamp on (\\\"updated_at\\\", \\\"id\\\")"), picks);
    }

    private JsonNode validation(Map<String, String> settings) throws Exception {
        Map<String, String> config = new HashMap<>(settings);
        config.put("name", "validation-test");
        return JSON.readTree(connect.restPut("/connector-plugins/PostgresSourceConnector/config/validate",
                JSON.writeValueAsString(config)));
    }

    private Map<String, List<String>> validate(Map<String, String> settings) throws Exception {
        Map<String, List<String>> errors = new HashMap<>();
        for (JsonNode c : validation(settings).get("configs")) {
            JsonNode value = c.get("value");
            if (value.get("errors").size() > 0) {
                List<String> messages = new ArrayList<>();
                value.get("errors").forEach(e -> messages.add(e.asText()));
                errors.put(value.get("name").asText(), messages);
            }
        }
        return errors;
    }

    private String recommended(Map<String, String> settings, String key) throws Exception {
        for (JsonNode c : validation(settings).get("configs")) {
            if (c.get("value").get("name").asText().equals(key)) {
                return c.get("value").get("recommended_values").toString();
            }
        }
        throw new AssertionError("no " + key);
    }
}
