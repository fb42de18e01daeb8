package dev.outflow.packaging;

import dev.outflow.testing.ExampleConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml agrees with config/*.json, with the repository's files and with the archive the build makes
 * (Docker itself cannot run where tests run). The first test checks the real files; the others break one thing
 * each and check that the break is named, so the checks cannot silently stop checking.
 */
class ComposeConsistencyTest {

    private static ComposeStack stack() {
        return ComposeStack.load(ExampleConfig.repoRoot(), HubArchive.baseName() + ".zip");
    }

    @Test
    void composeConfigsAndArchiveAgree() {
        ComposeStack stack = stack();
        assertEquals(List.of(), stack.problems());
        // The archive named in docker-compose.yml is the one this build produced.
        assertEquals(HubArchive.zip().getFileName().toString(), stack.archiveFileName);
        assertEquals(ExampleConfig.repoRoot().resolve("distribution/target").toAbsolutePath().normalize(),
                HubArchive.zip().getParent());
    }

    @Test
    void aRenamedServiceIsNamedEverywhereItIsUsed() {
        ComposeStack stack = stack();
        stack.services().put("db", stack.services().remove("postgres"));
        assertNamed(stack, "service connect depends_on postgres, which is not a service",
                "config/source-postgres.json connection.url names postgres:5432, but postgres is not a service");
    }

    @Test
    void anUnexposedPortIsNamed() {
        ComposeStack stack = stack();
        stack.service("kafka").remove("expose");
        assertNamed(stack, "names kafka:9092, but service kafka does not expose port 9092");
    }

    @Test
    void anotherArchiveVersionIsNamed() {
        ComposeStack stack = ComposeStack.load(ExampleConfig.repoRoot(), "outflow-outflow-9.9.9.zip");
        assertNamed(stack, "but the build makes ./distribution/target/outflow-outflow-9.9.9.zip");
    }

    @Test
    void aPluginVolumeOffThePluginPathIsNamed() {
        ComposeStack stack = stack();
        environment(stack, "connect").put("CONNECT_PLUGIN_PATH", "/usr/share/java");
        assertNamed(stack, "which is not on CONNECT_PLUGIN_PATH [/usr/share/java]");
    }

    @Test
    void aBucketNobodyCreatesIsNamed() {
        ComposeStack stack = stack();
        stack.configs.get("sink-s3.json").put("s3.bucket.name", "other-lake");
        assertNamed(stack, "no service creates the bucket other-lake");
    }

    @Test
    void aTopicNoSinkReadsIsNamed() {
        ComposeStack stack = stack();
        stack.configs.get("source-postgres.json").put("topic.prefix", "db.");
        assertNamed(stack, "config/sink-local.json does not read topic db.public.orders",
                "config/sink-s3.json does not read topic db.public.orders");
    }

    @Test
    void wrongCredentialsOrRegistryAreNamed() {
        ComposeStack stack = stack();
        stack.configs.get("source-postgres.json").put("connection.password", "secret");
        stack.configs.get("sink-s3.json").put("aws.access.key.id", "minioadmin");
        environment(stack, "connect").put("CONNECT_VALUE_CONVERTER_SCHEMA_REGISTRY_URL", "http://kafka:9092");
        assertNamed(stack, "connection.password is secret in config/, but the service's POSTGRES_PASSWORD is outflow",
                "aws.access.key.id is minioadmin in config/, but the service's MINIO_ROOT_USER is outflow",
                "CONNECT_VALUE_CONVERTER_SCHEMA_REGISTRY_URL http://kafka:9092 does not point to the schema registry");
    }

    @Test
    void aMissingMountSourceIsNamed() {
        ComposeStack stack = stack();
        @SuppressWarnings("unchecked")
        List<Object> volumes = (List<Object>) stack.service("postgres").get("volumes");
        volumes.set(0, "./docker/postgres/missing.sql:/docker-entrypoint-initdb.d/init.sql:ro");
        assertNamed(stack, "service postgres mounts ./docker/postgres/missing.sql, which is not a path in the repository",
                "table.include.list pattern public\\.orders of config/source-postgres.json matches no table");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(ComposeStack stack, String service) {
        return (Map<String, Object>) stack.service(service).get("environment");
    }

    private static void assertNamed(ComposeStack stack, String... expected) {
        List<String> problems = stack.problems();
        List<String> unnamed = new ArrayList<>();
        for (String e : expected) {
            if (problems.stream().noneMatch(p -> p.contains(e))) {
                unnamed.add(e);
            }
        }
        assertTrue(unnamed.isEmpty(), "expected problems naming " + unnamed + ", got " + problems);
    }
}
