package dev.outflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.DuckDb;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.PostgresServer;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * The whole pipeline through real parts: PostgreSQL -> source connector -> Kafka (Avro through a real schema
 * registry, Confluent framing) -> sink connector -> Snappy Parquet on disk, read back by DuckDB. The connectors
 * are configured from the example files in config/, so the examples are tested too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresToParquetIT {

    private static final String TOPIC = "pg.public.orders";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private PostgresServer pg;
    private SchemaRegistryServer registry;
    private ConnectCluster connect;
    private DuckDb duck;
    private Path lake;
    private ExampleConfig source;
    private ExampleConfig sink;

    @BeforeAll
    void startEverything() throws Exception {
        pg = PostgresServer.start();
        registry = SchemaRegistryServer.start();
        connect = ConnectCluster.start(registry);
        duck = DuckDb.open();
        lake = Files.createTempDirectory("outflow-lake");

        pg.execute("""
                CREATE TABLE public.orders (
                    id          bigint PRIMARY KEY,
                    customer_id integer NOT NULL,
                    qty         smallint,
                    amount      numeric(12,2),
                    ratio       double precision,
                    note        text,
                    is_paid     boolean,
                    order_date  date,
                    created_at  timestamptz NOT NULL,
                    small       real,
                    ext_id      uuid,
                    attrs       jsonb,
                    local_at    timestamp,
                    at_time     time,
                    raw         bytea,
                    big_n       numeric,
                    "Order Note" varchar(40)
                )""");
        insertOrders(1, 10_000);

        source = ExampleConfig.load("source-postgres.json")
                .with("connection.url", pg.jdbcUrl())
                .with("connection.user", pg.user())
                .with("connection.password", pg.password())
                .with("poll.interval.ms", "500");
        sink = ExampleConfig.load("sink-local.json")
                .with("local.dir", lake.toString())
                .with("flush.size", "1000")
                .with("rotate.schedule.interval.ms", "2000");
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {duck, connect, registry, pg}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /**
     * Rows with every mapped type, NULLs in every nullable column, and timestamps with distinct microseconds
     * (so a millisecond truncation anywhere would change min/max).
     */
    private void insertOrders(int fromId, int toId) {
        pg.execute("""
                INSERT INTO public.orders
                SELECT i,
                       i % 997,
                       CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 300)::smallint END,
                       CASE WHEN i % 13 = 0 THEN NULL ELSE round((i * 7.31) % 100000, 2) END,
                       CASE WHEN i % 17 = 0 THEN NULL ELSE i / 7.0 END,
                       CASE WHEN i % 19 = 0 THEN NULL ELSE 'note ' || i END,
                       CASE WHEN i % 23 = 0 THEN NULL ELSE i % 2 = 0 END,
                       CASE WHEN i % 29 = 0 THEN NULL ELSE date '2020-01-01' + (i % 2000) END,
                       timestamptz '2026-02-11 08:00:00.000001+00' + i * interval '1.000037 second',
                       CASE WHEN i % 31 = 0 THEN NULL ELSE (i / 3.0)::real END,
                       CASE WHEN i % 37 = 0 THEN NULL ELSE md5(i::text)::uuid END,
                       CASE WHEN i % 41 = 0 THEN NULL ELSE jsonb_build_object('i', i, 'tag', 't' || (i % 5)) END,
                       CASE WHEN i % 43 = 0 THEN NULL
                            ELSE timestamp '1999-12-31 23:59:59.999999' + i * interval '3.000011 second' END,
                       CASE WHEN i % 47 = 0 THEN NULL ELSE time '00:00:00.000001' + i * interval '1.000011 second' END,
                       CASE WHEN i % 53 = 0 THEN NULL ELSE decode(md5(i::text), 'hex') END,
                       CASE WHEN i % 59 = 0 THEN NULL ELSE i * 1.000000000001 END,
                       CASE WHEN i % 61 = 0 THEN NULL ELSE 'n ' || i END
                  FROM generate_series(:from, :to) AS i""".replace(":from", Integer.toString(fromId))
                .replace(":to", Integer.toString(toId)));
    }

    private String orders() {
        return DuckDb.parquetGlob(lake.resolve("topics").resolve(TOPIC));
    }

    private long parquetRows() {
        try (Stream<Path> files = Files.walk(lake)) {
            if (files.noneMatch(p -> p.toString().endsWith(".parquet"))) {
                return 0;
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return duck.queryLong("SELECT count(*) FROM " + orders());
    }

    private void awaitParquetRows(long expected) throws InterruptedException {
        TestUtils.waitForCondition(() -> parquetRows() == expected, TIMEOUT.toMillis(),
                () -> "expected " + expected + " rows in Parquet, found " + parquetRows() + "; source status: "
                        + connect.restGet("/connectors/" + source.name() + "/status") + "; sink status: "
                        + connect.restGet("/connectors/" + sink.name() + "/status"));
    }

    private boolean topicExists() throws Exception {
        try (var admin = connect.connect().kafka().createAdminClient()) {
            return admin.listTopics().names().get().contains(TOPIC);
        }
    }

    private void startConnectors() {
        connect.configureConnector(source.name(), source.config());
        connect.awaitRunning(source.name(), 1, TIMEOUT);
        connect.configureConnector(sink.name(), sink.config());
        connect.awaitRunning(sink.name(), 1, TIMEOUT);
    }

    @Test
    @Order(1)
    void aWholeTableArrivesExactly() throws Exception {
        // The sink subscribes by pattern: start the source first so the topic exists when the sink subscribes.
        connect.configureConnector(source.name(), source.config());
        connect.awaitRunning(source.name(), 1, TIMEOUT);
        TestUtils.waitForCondition(this::topicExists, TIMEOUT.toMillis(), "topic " + TOPIC + " was never created");
        connect.configureConnector(sink.name(), sink.config());
        connect.awaitRunning(sink.name(), 1, TIMEOUT);

        awaitParquetRows(10_000);
        assertSameAsPostgres();
    }

    @Test
    @Order(2)
    void newRowsArriveIncrementally() throws Exception {
        insertOrders(10_001, 10_500);
        awaitParquetRows(10_500);
        assertSameAsPostgres();
    }

    @Test
    @Order(3)
    void recreatedConnectorsResumeWithoutDuplicates() throws Exception {
        connect.deleteConnector(sink.name());
        connect.deleteConnector(source.name());
        insertOrders(10_501, 10_600);
        startConnectors();

        awaitParquetRows(10_600);
        assertEquals(10_600, duck.queryLong("SELECT count(DISTINCT id) FROM " + orders()));
        assertSameAsPostgres();

        // The source resumed from its offset: Kafka holds each row once, not the table twice.
        assertEquals(10_600, connect.connect().kafka().consumeAll(TIMEOUT.toMillis(), TOPIC).count());
        String offsets = connect.restGet("/connectors/" + source.name() + "/offsets");
        assertTrue(offsets.contains("\"incrementing\":10600"), offsets);
        // Nothing pending is left behind once everything is published.
        try (Stream<Path> files = Files.walk(lake)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".inprogress")));
        }
    }

    @Test
    @Order(4)
    void filesAreSnappyWithTypedColumns() {
        String glob = lake.resolve("topics").resolve(TOPIC) + "/**/*.parquet";
        List<Map<String, Object>> codecs = duck.query(
                "SELECT DISTINCT compression FROM parquet_metadata('" + glob + "')");
        assertEquals(List.of(Map.of("compression", "SNAPPY")), codecs);

        Map<String, Map<String, Object>> columns = new java.util.HashMap<>();
        for (Map<String, Object> row : duck.query("SELECT name, type, logical_type, converted_type, scale, precision "
                + "FROM parquet_schema('" + glob + "')")) {
            columns.putIfAbsent((String) row.get("name"), row);
        }
        assertTrue(String.valueOf(columns.get("amount").get("logical_type")).contains("DecimalType"),
                columns.get("amount").toString());
        assertEquals("12", String.valueOf(columns.get("amount").get("precision")));
        assertEquals("2", String.valueOf(columns.get("amount").get("scale")));
        assertTrue(String.valueOf(columns.get("order_date").get("logical_type")).contains("DateType"),
                columns.get("order_date").toString());
        String ts = String.valueOf(columns.get("created_at").get("logical_type"));
        assertTrue(ts.contains("TimestampType") && ts.contains("isAdjustedToUTC=1") && ts.contains("MICROS"), ts);
        assertEquals("INT64", columns.get("created_at").get("type"));

        // And DuckDB reads them as typed columns, not strings.
        Map<String, Object> types = duck.query("SELECT typeof(amount) a, typeof(order_date) d, typeof(created_at) t, "
                + "typeof(qty) q, typeof(is_paid) b FROM " + orders() + " LIMIT 1").get(0);
        assertEquals(Map.of("a", "DECIMAL(12,2)", "d", "DATE", "t", "TIMESTAMP WITH TIME ZONE", "q", "INTEGER",
                "b", "BOOLEAN"), types);
    }

    @Test
    @Order(5)
    void everyMappedTypeArrivesWithItsExactValue() {
        // Each column compared row by row, in id order, through a digest of its canonical text (NULLs included).
        assertSameSequence("ext_id::text", "CAST(ext_id AS VARCHAR)");
        assertSameSequence("attrs::text", "attrs");
        assertSameSequence("(extract(epoch FROM local_at) * 1000000)::bigint", "epoch_us(local_at)");
        assertSameSequence("(extract(epoch FROM at_time) * 1000000)::bigint",
                "hour(at_time) * 3600000000 + minute(at_time) * 60000000 + microsecond(at_time)");
        assertSameSequence("encode(raw, 'hex')", "lower(hex(raw))");
        assertSameSequence("big_n::text", "big_n");
        assertSameSequence("\"Order Note\"", "Order_Note");
        assertSameSequence("small::float8::numeric(20,4)", "CAST(CAST(small AS DOUBLE) AS DECIMAL(20,4))");

        Map<String, Object> types = duck.query("SELECT typeof(ext_id) u, typeof(local_at) l, typeof(at_time) t, "
                + "typeof(raw) b, typeof(small) f, typeof(big_n) n FROM " + orders() + " LIMIT 1").get(0);
        assertEquals(Map.of("u", "UUID", "l", "TIMESTAMP", "t", "TIME", "b", "BLOB", "f", "FLOAT", "n", "VARCHAR"),
                types);
    }

    private void assertSameSequence(String pgExpr, String duckExpr) {
        String pg = (String) this.pg.queryScalar("SELECT md5(string_agg(coalesce((" + pgExpr + ")::text, 'NULL'), "
                + "',' ORDER BY id)) FROM public.orders");
        String dk = (String) duck.queryScalar("SELECT md5(string_agg(coalesce(CAST((" + duckExpr + ") AS VARCHAR), "
                + "'NULL'), ',' ORDER BY id)) FROM " + orders());
        assertEquals(pg, dk, "values differ: PostgreSQL " + pgExpr + " vs Parquet " + duckExpr);
    }

    /** Count, sum of the numeric column, min/max of the timestamptz column (to the microsecond), NULL counts. */
    private void assertSameAsPostgres() {
        assertEquals(pg.queryLong("SELECT count(*) FROM public.orders"),
                duck.queryLong("SELECT count(*) FROM " + orders()));
        assertEquals(0, ((BigDecimal) pg.queryScalar("SELECT sum(amount) FROM public.orders"))
                .compareTo(duck.queryDecimal("SELECT sum(amount) FROM " + orders())));
        assertEquals(pg.queryLong("SELECT (extract(epoch FROM min(created_at)) * 1000000)::bigint FROM public.orders"),
                duck.queryLong("SELECT epoch_us(min(created_at)) FROM " + orders()));
        assertEquals(pg.queryLong("SELECT (extract(epoch FROM max(created_at)) * 1000000)::bigint FROM public.orders"),
                duck.queryLong("SELECT epoch_us(max(created_at)) FROM " + orders()));
        assertEquals(pg.queryLong("SELECT count(*) FROM public.orders WHERE qty IS NULL"),
                duck.queryLong("SELECT count(*) FROM " + orders() + " WHERE qty IS NULL"));
        assertEquals(pg.queryLong("SELECT sum(customer_id) FROM public.orders"),
                duck.queryLong("SELECT sum(customer_id) FROM " + orders()));
        assertEquals(pg.queryLong("SELECT count(*) FROM public.orders WHERE is_paid"),
                duck.queryLong("SELECT count(*) FROM " + orders() + " WHERE is_paid"));
        assertEquals(pg.queryLong("SELECT sum(order_date - date '1970-01-01') FROM public.orders"),
                duck.queryLong("SELECT sum(order_date - date '1970-01-01') FROM " + orders()));
    }
}
