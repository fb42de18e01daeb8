package dev.outflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proves each piece of the test infrastructure really works, against the real servers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InfrastructureIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private SchemaRegistryServer registry;
    private ConnectCluster connect;

    @BeforeAll
    void startShared() {
        registry = SchemaRegistryServer.start();
        connect = ConnectCluster.start(registry);
    }

    @AfterAll
    void stopShared() {
        if (connect != null) {
            connect.close();
        }
        if (registry != null) {
            registry.close();
            assertFalse(registry.isRunning(), "schema registry JVM still running after close()");
        }
    }

    // ---- PostgreSQL -----------------------------------------------------------------------------------------

    @Test
    void postgresStoresDataChecksThePasswordAndSurvivesRestart() throws Exception {
        int port;
        try (PostgresServer pg = PostgresServer.start()) {
            port = pg.port();
            assertTrue(pg.jdbcUrl().startsWith("jdbc:postgresql://127.0.0.1:" + port + "/"), pg.jdbcUrl());
            pg.execute("CREATE TABLE t (id int PRIMARY KEY, name text)",
                    "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            assertEquals(3, pg.queryLong("SELECT count(*) FROM t"));
            assertEquals("b", pg.queryScalar("SELECT name FROM t WHERE id = 2"));
            assertEquals(100L, pg.queryLong("SELECT setting::bigint FROM pg_settings WHERE name = 'max_connections'"));
            assertEquals(pg.user(), pg.queryScalar("SELECT current_user"));

            // The password is really checked (not zonky's default trust).
            SQLException wrongPassword = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "wrong").close());
            assertTrue(wrongPassword.getMessage().contains("password authentication failed"),
                    wrongPassword.getMessage());

            try (Connection before = pg.connect(); Statement statement = before.createStatement()) {
                pg.restart();
                // A connection from before the restart is dead...
                assertThrows(SQLException.class, () -> statement.execute("SELECT 1"));
            }
            // ...but the data and the port survive.
            assertEquals(port, pg.port());
            assertEquals(3, pg.queryLong("SELECT count(*) FROM t"));
            pg.execute("INSERT INTO t VALUES (4, 'd')");
            assertEquals(4, pg.queryLong("SELECT count(*) FROM t"));
        }
        // After close() nothing listens on the port any more.
        assertThrows(SQLException.class,
                () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/outflow?connectTimeout=2",
                        "outflow", "outflow-pw").close());
    }

    // ---- Schema registry ----------------------------------------------------------------------------------

    @Test
    void schemaRegistryIsReadyAndStoresAvroSchemas() throws Exception {
        assertTrue(registry.isRunning());
        assertEquals(200, get(registry.url() + "/health/ready").statusCode());

        String avro = "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"dev.outflow\","
                + "\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";
        String body = JSON.writeValueAsString(Map.of("schema", avro));
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(
                        URI.create(registry.url() + "/apis/ccompat/v7/subjects/probe-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, registered.statusCode(), registered.body());
        long id = JSON.readTree(registered.body()).path("id").asLong(-1);
        assertTrue(id >= 0, registered.body());

        HttpResponse<String> fetched = get(registry.url() + "/apis/ccompat/v7/schemas/ids/" + id);
        assertEquals(200, fetched.statusCode(), fetched.body());
        assertEquals(JSON.readTree(avro), JSON.readTree(JSON.readTree(fetched.body()).path("schema").asText()));
    }

    // ---- Kafka Connect ------------------------------------------------------------------------------------

    @Test
    void connectWorkerSeesTheAvroConverter() throws Exception {
        JsonNode plugins = JSON.readTree(connect.restGet("/connector-plugins?connectorsOnly=false"));
        List<String> classes = new ArrayList<>();
        plugins.forEach(p -> classes.add(p.path("class").asText()));
        assertTrue(classes.contains(ConnectCluster.AVRO_CONVERTER), "plugins: " + classes);
        assertTrue(connect.bootstrapServers().contains(":"), connect.bootstrapServers());

        ConnectCluster.RestResponse missing = connect.rest("GET", "/connectors/no-such-connector/status", null);
        assertEquals(404, missing.status(), missing.body());
        assertThrows(AssertionError.class, () -> connect.restGet("/connectors/no-such-connector/status"));
    }

    @Test
    void connectCreatesTopicsAndConsumes() {
        connect.createTopic("infra-probe", 2);
        connect.connect().kafka().produce("infra-probe", "k", "v");
        var records = connect.consume("infra-probe", 1, Duration.ofSeconds(30));
        assertEquals(1, records.size());
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), records.get(0).value());
    }

    @Test
    void connectorLifecycleThroughTheRestHelpers() throws Exception {
        String name = "infra-sink";
        connect.createTopic("infra-lifecycle", 1);
        Map<String, String> config = new java.util.LinkedHashMap<>();
        // A sink connector from Kafka's own test jar: it only needs to reach RUNNING.
        config.put("connector.class", "org.apache.kafka.connect.integration.TestableSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", "infra-lifecycle");
        connect.configureConnector(name, config);
        connect.awaitRunning(name, 1, Duration.ofSeconds(60));
        JsonNode status = JSON.readTree(connect.connectorStatus(name));
        assertEquals("RUNNING", status.path("connector").path("state").asText());
        assertEquals("RUNNING", status.path("tasks").path(0).path("state").asText());

        // Waiting for a task count the connector will never have fails, quoting the status.
        AssertionError timeout = assertThrows(AssertionError.class,
                () -> connect.awaitRunning(name, 2, Duration.ofSeconds(2)));
        assertTrue(timeout.getMessage().contains("\"RUNNING\""), timeout.getMessage());

        connect.stopConnector(name);
        assertEquals("STOPPED", JSON.readTree(connect.connectorStatus(name)).path("connector").path("state").asText());
        connect.deleteConnector(name);
        assertEquals(404, connect.rest("GET", "/connectors/" + name, null).status());
        assertFalse(connect.restGet("/connectors").contains(name), connect.restGet("/connectors"));

        // An invalid config is refused by the worker, and the error says why.
        config.remove("topics");
        AssertionError invalid = assertThrows(AssertionError.class, () -> connect.configureConnector(name, config));
        assertTrue(invalid.getMessage().contains("HTTP 400"), invalid.getMessage());
    }

    @Test
    void avroConverterRoundTripsLogicalTypesInConfluentFraming() {
        Schema schema = SchemaBuilder.struct().name("dev.outflow.Row")
                .field("id", Schema.INT64_SCHEMA)
                .field("amount", Decimal.builder(2).optional().build())
                .field("day", Date.builder().optional().build())
                .field("at", Timestamp.builder().build())
                .field("note", Schema.OPTIONAL_STRING_SCHEMA)
                .field("missing", Schema.OPTIONAL_INT32_SCHEMA)
                .build();
        Struct row = new Struct(schema)
                .put("id", 42L)
                .put("amount", new BigDecimal("12345.67"))
                .put("day", java.util.Date.from(LocalDate.of(2024, 2, 29).atStartOfDay(ZoneOffset.UTC).toInstant()))
                .put("at", java.util.Date.from(Instant.parse("2024-02-29T13:14:15.123Z")))
                .put("note", "hello")
                .put("missing", null);

        Converter converter = connect.avroConverter(false);
        byte[] bytes = converter.fromConnectData("infra-avro", schema, row);
        assertEquals(0, bytes[0], "magic byte of the Confluent wire format");
        assertTrue(bytes.length > 5, "magic byte + 4-byte schema id + payload");

        SchemaAndValue back = converter.toConnectData("infra-avro", bytes);
        Struct value = (Struct) back.value();
        for (var field : schema.fields()) {
            assertEquals(row.get(field), value.get(field.name()), field.name());
        }
        assertEquals(Decimal.LOGICAL_NAME, back.schema().field("amount").schema().name());
        assertEquals(Timestamp.LOGICAL_NAME, back.schema().field("at").schema().name());
        assertTrue(back.schema().field("note").schema().isOptional());
        assertNull(value.get("missing"));
        assertEquals(row, value);
    }

    // ---- S3 -----------------------------------------------------------------------------------------------

    @Test
    void s3StoresListsAndDownloadsObjectsIncludingMultipart(@TempDir Path tmp) throws Exception {
        try (S3Server s3 = S3Server.start(); S3Client client = s3.client()) {
            assertEquals("http", s3.endpoint().getScheme());
            assertEquals("127.0.0.1", s3.endpoint().getHost());
            s3.createBucket("bucket");
            client.putObject(b -> b.bucket("bucket").key("data/a=1/one.txt"), RequestBody.fromString("one"));
            client.putObject(b -> b.bucket("bucket").key("data/a=2/two.txt"), RequestBody.fromString("two"));
            client.putObject(b -> b.bucket("bucket").key("other/three.txt"), RequestBody.fromString("three"));

            // 6 MiB in two parts (every part but the last must be >= 5 MiB).
            byte[] big = new byte[6 * 1024 * 1024];
            new Random(7).nextBytes(big);
            String key = "data/big.bin";
            String uploadId = client.createMultipartUpload(b -> b.bucket("bucket").key(key)).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            int[][] ranges = {{0, 5 * 1024 * 1024}, {5 * 1024 * 1024, big.length}};
            for (int i = 0; i < ranges.length; i++) {
                int partNumber = i + 1;
                byte[] part = Arrays.copyOfRange(big, ranges[i][0], ranges[i][1]);
                String etag = client.uploadPart(b -> b.bucket("bucket").key(key).uploadId(uploadId)
                        .partNumber(partNumber), RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            client.completeMultipartUpload(b -> b.bucket("bucket").key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));

            assertEquals(List.of("data/a=1/one.txt", "data/a=2/two.txt", "data/big.bin"), s3.listKeys("bucket", "data/"));
            assertEquals("two", new String(s3.get("bucket", "data/a=2/two.txt"), StandardCharsets.UTF_8));
            assertArrayEquals(big, s3.get("bucket", key));

            Path dir = s3.download("bucket", "data/", tmp.resolve("dl"));
            assertEquals("one", readString(dir.resolve("a=1/one.txt")));
            assertEquals("two", readString(dir.resolve("a=2/two.txt")));
            assertArrayEquals(big, readBytes(dir.resolve("big.bin")));
            assertFalse(Files.exists(dir.resolve("three.txt")));

            // Wrong credentials are refused: the signature is really checked.
            try (S3Client wrong = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
                    .region(software.amazon.awssdk.regions.Region.of(s3.region()))
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(s3.accessKey(), "nope")))
                    .build()) {
                assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                        () -> wrong.listObjectsV2(b -> b.bucket("bucket")));
            }
        }
    }

    // ---- DuckDB -------------------------------------------------------------------------------------------

    @Test
    void duckDbReadsParquetItWrote(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("it's here"); // a quote in the path proves parquetGlob's quoting
        Files.createDirectories(dir.resolve("x"));
        try (DuckDb duck = DuckDb.open()) {
            duck.execute("COPY (SELECT i AS id, 'name-' || i AS name, CAST(i AS DECIMAL(10,2)) / 4 AS amount"
                    + " FROM range(10) t(i)) TO " + DuckDb.literal(dir.resolve("x/y.parquet").toString())
                    + " (FORMAT parquet, COMPRESSION snappy)");
            String files = DuckDb.parquetGlob(dir);
            assertEquals(10, duck.queryLong("SELECT count(*) FROM " + files));
            assertEquals("name-7", duck.queryScalar("SELECT name FROM " + files + " WHERE id = 7"));
            assertEquals(0, new BigDecimal("11.25").compareTo(duck.queryDecimal("SELECT sum(amount) FROM " + files)));
            List<Map<String, Object>> rows = duck.query("SELECT id, name FROM " + files + " ORDER BY id LIMIT 2");
            assertEquals(List.of("id", "name"), new ArrayList<>(rows.get(0).keySet()));
            assertEquals(1L, ((Number) rows.get(1).get("id")).longValue());
            assertEquals("SNAPPY", duck.queryScalar("SELECT compression FROM parquet_metadata("
                    + DuckDb.literal(dir.resolve("x/y.parquet").toString()) + ") LIMIT 1"));
            // A failed statement does not break the next query.
            assertThrows(IllegalStateException.class, () -> duck.queryLong("SELECT * FROM no_such_table"));
            assertEquals(1, duck.queryLong("SELECT 1"));
        }
    }

    // ---- ExampleConfig and Ports ------------------------------------------------------------------------------

    @Test
    void exampleConfigParsesConnectRestBodies(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("example.json");
        Files.writeString(file, "{\"name\": \"pg-source\", \"config\": {\"connector.class\": \"X\","
                + " \"tasks.max\": 2, \"b\": \"2\", \"a\": \"1\"}}");
        ExampleConfig example = ExampleConfig.load(file);
        assertEquals("pg-source", example.name());
        assertEquals(List.of("connector.class", "tasks.max", "b", "a"), new ArrayList<>(example.config().keySet()));
        assertEquals("2", example.config().get("tasks.max"));

        Map<String, String> copy = example.with("b", "3").with("c", "4").config();
        assertEquals("3", copy.get("b"));
        assertEquals("4", copy.get("c"));
        copy.put("d", "5");
        assertFalse(example.config().containsKey("d"), "config() must be a copy");

        Files.writeString(file, "{\"config\": {}}");
        assertThrows(IllegalArgumentException.class, () -> ExampleConfig.load(file));
    }

    @Test
    void exampleConfigFindsTheRepoRootAndLoadsTheShippedExamples() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        boolean hasConfigDir = false;
        for (Path d = dir; d != null; d = d.getParent()) {
            hasConfigDir |= Files.isRegularFile(d.resolve("mvnw")) && Files.isDirectory(d.resolve("config"));
        }
        assertTrue(hasConfigDir, "the repo must ship its example connector configs in config/");
        Path root = ExampleConfig.repoRoot();
        assertTrue(Files.isRegularFile(root.resolve("mvnw")));
        assertTrue(Files.isDirectory(root.resolve("config")));

        // Every shipped example parses as a Connect REST body (the connector tests then run them for real).
        try (var files = Files.list(root.resolve("config"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                ExampleConfig example = ExampleConfig.load(file.getFileName().toString());
                assertFalse(example.name().isBlank(), file.toString());
                assertTrue(example.config().containsKey("connector.class"), file + ": " + example.config());
            }
        }
    }

    @Test
    void freePortIsBindableOnLoopback() throws Exception {
        int port = Ports.freePort();
        assertTrue(port > 0 && port < 65536);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, socket.getLocalPort());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String readString(Path file) throws java.io.IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(Path file) throws java.io.IOException {
        return Files.readAllBytes(file);
    }
}
