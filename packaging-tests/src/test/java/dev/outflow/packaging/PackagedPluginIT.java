package dev.outflow.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.ConnectWorkerProcess;
import dev.outflow.testing.DuckDb;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.PostgresServer;
import dev.outflow.testing.SchemaRegistryServer;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive as a user installs it: unzipped into the plugin.path of a real distributed Connect worker that runs
 * in its own JVM with plugin isolation and {@code plugin.discovery=service_load}, and whose classpath holds only
 * the worker (connect-runtime and its dependencies): every class of our connectors and of their dependencies
 * comes from the archive's lib/. A jar missing from lib/, or one that clashes with the worker's, fails here.
 *
 * <p>The data is docker/postgres/init.sql, the compose stack's sample data, synced with config/source-postgres.json
 * and config/sink-local.json (connection and directory overridden) through Apicurio's Avro converter, installed as
 * a plugin of its own, and read back with DuckDB.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedPluginIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String SOURCE = "dev.outflow.source.PostgresSourceConnector";
    private static final String SINK = "dev.outflow.sink.ParquetSinkConnector";
    private static final String TOPIC = "pg.public.orders";

    @TempDir
    static Path pluginPath;
    @TempDir
    static Path lake;

    private PostgresServer pg;
    private SchemaRegistryServer registry;
    private EmbeddedKafkaCluster kafka;
    private ConnectWorkerProcess worker;
    private DuckDb duck;
    private Path workerLib;

    @BeforeAll
    void start() throws Exception {
        workerLib = Path.of(HubArchive.property("outflow.connect.worker.lib"));
        HubArchive.unzipInto(pluginPath);
        installConverterPlugin(pluginPath.resolve("apicurio-avro-converter"));

        pg = PostgresServer.start();
        pg.execute(Files.readString(ExampleConfig.repoRoot().resolve("docker/postgres/init.sql")));
        registry = SchemaRegistryServer.start();
        Properties brokerProps = new Properties();
        brokerProps.put("transaction.state.log.replication.factor", "1");
        brokerProps.put("transaction.state.log.min.isr", "1");
        kafka = new EmbeddedKafkaCluster(1, brokerProps);
        kafka.start();

        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("bootstrap.servers", kafka.bootstrapServers());
        workerProps.put("group.id", "outflow-packaged");
        workerProps.put("plugin.path", pluginPath.toString());
        // Only plugins with a ServiceLoader manifest exist for the worker; with isolation, each in its own loader.
        workerProps.put("plugin.discovery", "service_load");
        workerProps.put("key.converter", ConnectCluster.AVRO_CONVERTER);
        workerProps.put("value.converter", ConnectCluster.AVRO_CONVERTER);
        ConnectCluster.converterProps(registry).forEach((k, v) -> {
            workerProps.put("key.converter." + k, v);
            workerProps.put("value.converter." + k, v);
        });
        workerProps.put("offset.flush.interval.ms", "1000");
        worker = ConnectWorkerProcess.start(workerLib, workerProps);
        duck = DuckDb.open();
    }

    /**
     * Apicurio's converter and its dependencies (copied by the pom) as a plugin directory, plus a jar with the
     * ServiceLoader manifest its own jar lacks (service_load discovery needs one).
     */
    private static void installConverterPlugin(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path jars = Path.of(HubArchive.property("outflow.converter.plugin.lib"));
        try (Stream<Path> files = Files.list(jars)) {
            for (Path jar : files.toList()) {
                Files.copy(jar, dir.resolve(jar.getFileName()));
            }
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("apicurio-converter-services.jar"));
             JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("META-INF/services/org.apache.kafka.connect.storage.Converter"));
            jar.write((ConnectCluster.AVRO_CONVERTER + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {duck, worker, registry, pg}) {
            if (c != null) {
                c.close();
            }
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    @Order(1)
    void theWorkerClasspathHoldsNoneOfOurClasses() throws IOException {
        // Otherwise the worker could find a class the archive lacks, and this test would prove nothing.
        try (Stream<Path> jars = Files.list(workerLib)) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("connect-runtime-")), names.toString());
            List<String> ours = names.stream().filter(n -> n.startsWith("outflow-") || n.startsWith("postgresql-")
                    || n.startsWith("parquet-") || n.startsWith("avro-") || n.startsWith("s3-")
                    || n.startsWith("hadoop-") || n.startsWith("apicurio-")).toList();
            assertEquals(List.of(), ours, "jars on the worker classpath that must come from plugin.path only");
        }
    }

    @Test
    @Order(2)
    void connectorPluginsListsBothConnectorsWithTheArchiveVersion() throws IOException {
        JsonNode plugins = JSON.readTree(worker.restGet("/connector-plugins"));
        Map<String, JsonNode> byClass = new HashMap<>();
        plugins.forEach(p -> byClass.put(p.path("class").asText(), p));
        assertTrue(byClass.containsKey(SOURCE), "GET /connector-plugins: " + plugins);
        assertTrue(byClass.containsKey(SINK), "GET /connector-plugins: " + plugins);
        assertEquals("source", byClass.get(SOURCE).path("type").asText());
        assertEquals("sink", byClass.get(SINK).path("type").asText());
        assertEquals(HubArchive.version(), byClass.get(SOURCE).path("version").asText());
        assertEquals(HubArchive.version(), byClass.get(SINK).path("version").asText());
    }

    @Test
    @Order(3)
    void postgresToAvroToParquetRunsFromThePackagedJarsAlone() throws Exception {
        ExampleConfig source = ExampleConfig.load("source-postgres.json")
                .with("connection.url", pg.jdbcUrl())
                .with("connection.user", pg.user())
                .with("connection.password", pg.password())
                .with("poll.interval.ms", "500");
        ExampleConfig sink = ExampleConfig.load("sink-local.json")
                .with("local.dir", lake.toString())
                .with("flush.size", "400")
                .with("rotate.schedule.interval.ms", "2000");

        worker.configureConnector(source.name(), source.config());
        worker.awaitRunning(source.name(), 1, TIMEOUT);
        // The sink subscribes by pattern: the topic exists first, so it is assigned at once.
        TestUtils.waitForCondition(() -> !kafka.describeTopics(TOPIC).get(TOPIC).isEmpty(), TIMEOUT.toMillis(),
                () -> "topic " + TOPIC + " never created; source status " + worker.restGet("/connectors/"
                        + source.name() + "/status"));
        worker.configureConnector(sink.name(), sink.config());
        worker.awaitRunning(sink.name(), 1, TIMEOUT);

        long rows = pg.queryLong("SELECT count(*) FROM public.orders");
        assertEquals(1000, rows, "docker/postgres/init.sql inserts 1,000 orders");
        TestUtils.waitForCondition(() -> parquetRows() == rows, TIMEOUT.toMillis(),
                () -> "expected " + rows + " rows in Parquet, found " + parquetRows() + "; sink status "
                        + worker.restGet("/connectors/" + sink.name() + "/status") + "\nworker log:\n"
                        + worker.logTail(30));

        // Exactly the table: every column's values, in id order, digested on both sides (NULLs included).
        assertSameSequence("id::text", "CAST(id AS VARCHAR)");
        assertSameSequence("customer_id::text", "CAST(customer_id AS VARCHAR)");
        assertSameSequence("status", "status");
        assertSameSequence("amount::text", "CAST(amount AS VARCHAR)");
        assertSameSequence("note", "note");
        assertSameSequence("ordered_on::text", "CAST(ordered_on AS VARCHAR)");
        assertSameSequence("(extract(epoch FROM created_at) * 1000000)::bigint::text",
                "CAST(epoch_us(created_at) AS VARCHAR)");
        assertEquals(rows, duck.queryLong("SELECT count(DISTINCT id) FROM " + orders()));
        assertEquals(Map.of("a", "DECIMAL(12,2)", "d", "DATE", "t", "TIMESTAMP WITH TIME ZONE"),
                duck.query("SELECT typeof(amount) a, typeof(ordered_on) d, typeof(created_at) t FROM " + orders()
                        + " LIMIT 1").get(0));
    }

    private String orders() {
        return DuckDb.parquetGlob(lake.resolve("topics").resolve(TOPIC));
    }

    private long parquetRows() {
        try (Stream<Path> files = Files.walk(lake)) {
            if (files.noneMatch(p -> p.toString().endsWith(".parquet"))) {
                return 0;
            }
        } catch (IOException e) {
            return 0;
        }
        return duck.queryLong("SELECT count(*) FROM " + orders());
    }

    private void assertSameSequence(String pgExpr, String duckExpr) {
        String expected = (String) pg.queryScalar("SELECT md5(string_agg(coalesce((" + pgExpr + ")::text, 'NULL'),"
                + " ',' ORDER BY id)) FROM public.orders");
        String actual = (String) duck.queryScalar("SELECT md5(string_agg(coalesce(CAST((" + duckExpr + ") AS VARCHAR),"
                + " 'NULL'), ',' ORDER BY id)) FROM " + orders());
        assertEquals(expected, actual, "values differ: PostgreSQL " + pgExpr + " vs Parquet " + duckExpr);
    }
}
