package dev.outflow.source.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class PostgresSourceConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", "jdbc:postgresql://localhost:5432/shop");
        props.put("table.include.list", "public\\.orders");
        return props;
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        PostgresSourceConfig c = new PostgresSourceConfig(valid());
        assertEquals(5_000, c.pollIntervalMs());
        assertEquals(1_000, c.batchMaxRows());
        assertEquals("id", c.incrementingColumn());
        assertEquals("", c.topicPrefix());
        assertEquals(1, c.includePatterns().size());
    }

    @Test
    void rejectsANonPostgresUrlNamingTheExpectedForm() {
        Map<String, String> props = valid();
        props.put("connection.url", "jdbc:mysql://localhost/shop");
        ConfigException e = assertThrows(ConfigException.class, () -> new PostgresSourceConfig(props));
        assertTrue(e.getMessage().contains("jdbc:postgresql:"), e.getMessage());
    }

    @Test
    void rejectsAnInvalidRegexWithItsPosition() {
        Map<String, String> props = valid();
        props.put("table.include.list", "public.(orders");
        ConfigException e = assertThrows(ConfigException.class, () -> new PostgresSourceConfig(props));
        assertTrue(e.getMessage().contains("not a valid regular expression"), e.getMessage());
    }

    @Test
    void everyKeyIsDocumentedAndGroupedAndThePasswordIsHidden() {
        for (var key : PostgresSourceConfig.CONFIG_DEF.configKeys().values()) {
            if (key.internalConfig) {
                continue;
            }
            assertTrue(key.documentation != null && !key.documentation.isBlank(), key.name);
            assertTrue(key.group != null, key.name);
        }
        assertEquals(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD,
                PostgresSourceConfig.CONFIG_DEF.configKeys().get("connection.password").type);
    }

    @Test
    void validationReportsUnsupportedModeOnTheModeKey() {
        Map<String, String> props = valid();
        props.put("mode", "snapshot");
        List<ConfigValue> values = PostgresSourceConfig.CONFIG_DEF.validate(props);
        ConfigValue mode = values.stream().filter(v -> v.name().equals("mode")).findFirst().orElseThrow();
        assertEquals(1, mode.errorMessages().size(), mode.errorMessages().toString());
    }

    @Test
    void topicNamesKeepOnlyWhatKafkaAllows() {
        assertEquals("pg.public.orders", PostgresSourceConfig.topicName("pg.public.orders"));
        assertEquals("pg.Sales_Dept.Order__Items___t_",
                PostgresSourceConfig.topicName("pg.Sales Dept.Order \"Items\" \u00e9t\u00e9"));
        assertEquals(249, PostgresSourceConfig.topicName("x".repeat(300)).length());
    }
}
