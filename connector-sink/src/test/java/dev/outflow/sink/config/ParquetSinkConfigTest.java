package dev.outflow.sink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.outflow.sink.ParquetSinkConnector;

class ParquetSinkConfigTest {

    @TempDir
    Path tmp;

    @Test
    void defaultsAreTheDocumentedOnes() {
        ParquetSinkConfig c = new ParquetSinkConfig(Map.of("local.dir", "/tmp/x"));
        assertEquals("topics", c.topicsDir());
        assertEquals(10_000, c.flushSize());
        assertEquals("snappy", c.codec());
        assertEquals(10, c.offsetPadWidth());
        assertEquals(600_000L, c.rotateScheduleIntervalMs());
    }

    @Test
    void topicsDirMayNotClimbOutOfTheRoot() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ParquetSinkConfig(Map.of("local.dir", "/tmp/x", "topics.dir", "../etc")));
        assertTrue(e.getMessage().contains("relative path"), e.getMessage());
    }

    private static ConfigValue value(Config config, String name) {
        return config.configValues().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void validateReportsAMissingLocalDirWithTheFix() {
        Map<String, String> props = new HashMap<>(Map.of("connector.class", ParquetSinkConnector.class.getName()));
        Config config = new ParquetSinkConnector().validate(props);
        assertTrue(value(config, "local.dir").errorMessages().get(0).contains("required"),
                value(config, "local.dir").errorMessages().toString());
    }

    @Test
    void validateReportsAnUnwritableLocalDir() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Config config = new ParquetSinkConnector().validate(Map.of("local.dir", file.resolve("sub").toString()));
        assertEquals(1, value(config, "local.dir").errorMessages().size());
        assertTrue(value(config, "local.dir").errorMessages().get(0).contains("Cannot write"));
    }

    @Test
    void validateAcceptsAWritableDirectory() {
        Config config = new ParquetSinkConnector().validate(Map.of("local.dir", tmp.resolve("lake").toString()));
        assertEquals(0, value(config, "local.dir").errorMessages().size());
    }
}
