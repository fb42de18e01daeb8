package dev.outflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.Ports;
import dev.outflow.testing.PostgresServer;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * {@code PUT /connector-plugins/{plugin}/config/validate} through a real worker: each bad setting is reported on
 * the key the user has to change, with a message that names the fix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PostgresServer pg;
    private SchemaRegistryServer registry;
    private ConnectCluster connect;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        registry = SchemaRegistryServer.start();
        connect = ConnectCluster.start(registry);
        pg.execute("CREATE TABLE public.orders (id bigint PRIMARY KEY, note text)",
                "CREATE TABLE public.events (event_uuid uuid PRIMARY KEY, id text)");
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {connect, registry, pg}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private Map<String, String> source() {
        return ExampleConfig.load("source-postgres.json")
                .with("connection.url", pg.jdbcUrl())
                .with("connection.user", pg.user())
                .with("connection.password", pg.password())
                .config();
    }

    /** Key name -> its error messages, for the keys that have any. */
    private Map<String, List<String>> errors(String plugin, Map<String, String> settings) throws Exception {
        Map<String, String> config = new HashMap<>(settings);
        config.put("name", "validation-test");
        String body = connect.restPut("/connector-plugins/" + plugin + "/config/validate",
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

    private static void assertOnlyError(Map<String, List<String>> errors, String key, String... fragments) {
        assertEquals(List.of(key), List.copyOf(errors.keySet()), errors.toString());
        String message = errors.get(key).get(0);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "'" + fragment + "' missing from: " + message);
        }
    }

    @Test
    void bothConnectorsAreListedWithTheBuildVersion() throws Exception {
        JsonNode plugins = JSON.readTree(connect.restGet("/connector-plugins"));
        Map<String, String> versions = new HashMap<>();
        plugins.forEach(p -> versions.put(p.get("class").asText(), p.get("version").asText()));
        for (String cls : List.of("dev.outflow.source.PostgresSourceConnector",
                "dev.outflow.sink.ParquetSinkConnector")) {
            assertTrue(versions.containsKey(cls), cls + " not in " + versions);
            assertTrue(versions.get(cls).matches("\\d+\\.\\d+\\.\\d+.*"), cls + " version " + versions.get(cls));
        }
    }

    @Test
    void theExampleSourceConfigIsValid() throws Exception {
        assertEquals(Map.of(), errors("PostgresSourceConnector", source()));
    }

    @Test
    void wrongPasswordIsReportedOnThePassword() throws Exception {
        Map<String, String> config = source();
        config.put("connection.password", "not-the-password");
        assertOnlyError(errors("PostgresSourceConnector", config), "connection.password",
                "connection.user and connection.password");
    }

    @Test
    void unreachableServerIsReportedOnTheUrl() throws Exception {
        Map<String, String> config = source();
        config.put("connection.url", "jdbc:postgresql://127.0.0.1:" + Ports.freePort() + "/outflow");
        assertOnlyError(errors("PostgresSourceConnector", config), "connection.url", "Cannot connect",
                "running and reachable");
    }

    @Test
    void noMatchingTableIsReportedOnTheIncludeList() throws Exception {
        Map<String, String> config = source();
        config.put("table.include.list", "public\\.no_such_table");
        assertOnlyError(errors("PostgresSourceConnector", config), "table.include.list", "No table", "schema.table");
    }

    @Test
    void aTableWithoutAUsableIncrementingColumnIsNamed() throws Exception {
        Map<String, String> config = source();
        config.put("table.include.list", "public\\.events");
        assertOnlyError(errors("PostgresSourceConnector", config), "incrementing.column.name", "public.events",
                "is text");
        config.put("incrementing.column.name", "seq");
        assertOnlyError(errors("PostgresSourceConnector", config), "incrementing.column.name", "public.events",
                "has no column \"seq\"");
    }

    @Test
    void malformedValuesAreReportedWithoutTouchingTheDatabase() throws Exception {
        Map<String, String> config = source();
        config.put("connection.url", "jdbc:mysql://db/shop");
        config.put("batch.max.rows", "0");
        Map<String, List<String>> errors = errors("PostgresSourceConnector", config);
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get("connection.url").get(0).contains("jdbc:postgresql:"));
        assertTrue(errors.containsKey("batch.max.rows"));
    }

    @Test
    void theSinkReportsAnUnwritableDirectory() throws Exception {
        Path file = Files.createTempFile("outflow-not-a-dir", ".txt");
        Map<String, String> config = ExampleConfig.load("sink-local.json")
                .with("local.dir", file.resolve("lake").toString()).config();
        assertOnlyError(errors("ParquetSinkConnector", config), "local.dir", "Cannot write", "local.dir");
        config.put("local.dir", Files.createTempDirectory("outflow-lake").toString());
        assertEquals(Map.of(), errors("ParquetSinkConnector", config));
    }
}
