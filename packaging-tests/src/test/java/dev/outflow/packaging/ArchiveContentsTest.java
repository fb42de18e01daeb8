package dev.outflow.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outflow.testing.ExampleConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the Confluent Hub archive holds: the layout Confluent Hub expects, a filled-in manifest, the example configs,
 * the docs and licenses, and a lib/ with our jars and their dependencies but nothing the worker provides and no
 * library twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchiveContentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code name-1.2.3.jar}, {@code name-1.2.3-SNAPSHOT.jar}, {@code zstd-jni-1.5.7-15.jar} ... */
    private static final Pattern JAR = Pattern.compile("(.+?)-(\\d[^-]*(?:-.+)?)\\.jar");

    private Path component;
    private Path repo;

    @BeforeAll
    void unzip(@TempDir Path dir) {
        component = HubArchive.unzipInto(dir);
        repo = ExampleConfig.repoRoot();
    }

    @Test
    void isNamedOwnerNameVersionWithOneTopDirectory() throws IOException {
        assertEquals(HubArchive.baseName() + ".zip", HubArchive.zip().getFileName().toString());
        try (Stream<Path> top = Files.list(component.getParent())) {
            assertEquals(List.of(HubArchive.baseName()), top.map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<Path> entries = Files.list(component)) {
            assertEquals(Set.of("manifest.json", "lib", "etc", "doc"),
                    entries.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void manifestIsTheRepositoryOneWithTheVersionFilledIn() throws IOException {
        JsonNode manifest = JSON.readTree(component.resolve("manifest.json").toFile());
        assertEquals(HubArchive.version(), manifest.path("version").asText());
        assertEquals(HubArchive.NAME, manifest.path("name").asText());
        assertEquals(HubArchive.OWNER, manifest.path("owner").path("username").asText());
        assertEquals(List.of("source", "sink"), strings(manifest.path("component_types")));
        assertFalse(strings(manifest.path("features").path("delivery_guarantee")).isEmpty(), "delivery_guarantee");
        assertFalse(strings(manifest.path("requirements")).isEmpty(), "requirements");
        assertEquals("Apache License 2.0", manifest.path("license").path(0).path("name").asText());
        for (String key : List.of("title", "description", "documentation_url", "source_url")) {
            assertFalse(manifest.path(key).asText().isBlank(), key);
        }

        // Everything else is exactly the repository's manifest.json.
        String source = Files.readString(repo.resolve("manifest.json"));
        assertTrue(source.contains("\"${project.version}\""), "the repository's manifest.json keeps the placeholder");
        assertEquals(source.replace("${project.version}", HubArchive.version()),
                Files.readString(component.resolve("manifest.json")));
    }

    @Test
    void etcHoldsTheExampleConfigsAsInTheRepository() throws IOException {
        List<String> configs;
        try (Stream<Path> files = Files.list(repo.resolve("config"))) {
            configs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        }
        assertFalse(configs.isEmpty());
        try (Stream<Path> files = Files.list(component.resolve("etc"))) {
            assertEquals(configs, files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String config : configs) {
            assertEquals(Files.readString(repo.resolve("config").resolve(config)),
                    Files.readString(component.resolve("etc").resolve(config)), config);
        }
    }

    @Test
    void docHoldsReadmeLicenseAndNotice() throws IOException {
        Path doc = component.resolve("doc");
        assertEquals(Files.readString(repo.resolve("README.md")), Files.readString(doc.resolve("README.md")));
        String license = Files.readString(doc.resolve("LICENSE"));
        assertEquals(Files.readString(repo.resolve("LICENSE")), license);
        assertTrue(license.contains("Apache License") && license.contains("Version 2.0, January 2004"));
        // README links into docs/: the same files sit next to it.
        assertTrue(Files.isRegularFile(doc.resolve("docs/source.md")));
        assertTrue(Files.isRegularFile(doc.resolve("docs/sink.md")));

        String copyright = Files.readAllLines(repo.resolve("NOTICE")).get(1);
        assertTrue(copyright.startsWith("Copyright"), copyright);
        assertTrue(Files.readString(doc.resolve("NOTICE")).contains(copyright));
    }

    @Test
    void libHoldsBothConnectorsWithTheirServiceManifests() throws IOException {
        Map<String, String> jars = libJars();
        assertEquals(HubArchive.version(), jars.get("outflow-connector-source"));
        assertEquals(HubArchive.version(), jars.get("outflow-connector-sink"));
        // plugin.discovery=service_load finds connectors only through these.
        assertEquals("dev.outflow.source.PostgresSourceConnector", serviceManifest("outflow-connector-source",
                "org.apache.kafka.connect.source.SourceConnector"));
        assertEquals("dev.outflow.sink.ParquetSinkConnector", serviceManifest("outflow-connector-sink",
                "org.apache.kafka.connect.sink.SinkConnector"));
        // The runtime dependencies came along (one of each connector's).
        assertNotNull(jars.get("postgresql"), jars.toString());
        assertNotNull(jars.get("parquet-avro"), jars.toString());
    }

    @Test
    void libHoldsNothingTheWorkerProvidesAndNoLibraryTwice() throws IOException {
        List<String> clashes = new ArrayList<>();
        Map<String, String> seen = new TreeMap<>();
        for (Path jar : libFiles()) {
            String file = jar.getFileName().toString();
            Matcher m = JAR.matcher(file);
            assertTrue(m.matches(), "not a versioned jar name: " + file);
            String artifact = m.group(1);
            if (artifact.equals("kafka-clients") || artifact.startsWith("connect-") || artifact.startsWith("kafka_")
                    || artifact.startsWith("slf4j-") || artifact.startsWith("log4j")) {
                clashes.add(file + " (provided by the worker)");
            }
            String other = seen.put(artifact, file);
            if (other != null) {
                clashes.add(file + " and " + other + " (two versions)");
            }
            try (JarFile jarFile = new JarFile(jar.toFile())) {
                // Classes of the worker's own packages would be loaded from the worker anyway; shipping them
                // means a library bundles (shades) an API we think is provided.
                jarFile.stream().map(java.util.zip.ZipEntry::getName)
                        .filter(n -> n.startsWith("org/apache/kafka/") || n.startsWith("org/slf4j/"))
                        .findFirst().ifPresent(n -> clashes.add(file + " bundles " + n));
            }
        }
        assertTrue(clashes.isEmpty(), "lib/ clashes with the worker or itself: " + clashes);
    }

    @Test
    void noticeNamesEveryThirdPartyJarWithALicense() throws IOException {
        List<String> notice = Files.readAllLines(component.resolve("doc/NOTICE"));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> jar : libJars().entrySet()) {
            if (jar.getKey().startsWith("outflow-")) {
                continue; // ours: the notice's own header
            }
            String coordinates = ":" + jar.getKey() + ":" + jar.getValue() + " - ";
            // groupId:artifactId:version - name - license(s) - url
            boolean listed = notice.stream().anyMatch(line -> line.contains(coordinates)
                    && line.split(" - ").length >= 3 && !line.split(" - ")[2].isBlank());
            if (!listed) {
                missing.add(jar.getKey() + "-" + jar.getValue() + ".jar");
            }
        }
        assertTrue(missing.isEmpty(), "doc/NOTICE does not name these lib/ jars with a license: " + missing);
    }

    private List<Path> libFiles() throws IOException {
        try (Stream<Path> files = Files.list(component.resolve("lib"))) {
            List<Path> jars = files.sorted().toList();
            assertTrue(jars.stream().allMatch(p -> p.getFileName().toString().endsWith(".jar")), jars.toString());
            return jars;
        }
    }

    /** artifactId -> version of every jar in lib/. */
    private Map<String, String> libJars() throws IOException {
        Map<String, String> jars = new TreeMap<>();
        for (Path jar : libFiles()) {
            Matcher m = JAR.matcher(jar.getFileName().toString());
            assertTrue(m.matches(), jar.toString());
            jars.put(m.group(1), m.group(2));
        }
        return jars;
    }

    private String serviceManifest(String artifact, String service) throws IOException {
        Path jar = component.resolve("lib").resolve(artifact + "-" + HubArchive.version() + ".jar");
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            var entry = jarFile.getEntry("META-INF/services/" + service);
            assertNotNull(entry, jar + " has no META-INF/services/" + service);
            return new String(jarFile.getInputStream(entry).readAllBytes()).strip();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
