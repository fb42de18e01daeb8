package dev.outflow.sink.config;

import org.junit.jupiter.api.Test;

import dev.outflow.testing.ConfigDocs;
import dev.outflow.testing.ExampleConfig;

/** docs/sink.md carries the configuration reference generated from the ConfigDef; this keeps them equal. */
class ConfigReferenceTest {
    @Test
    void docsMatchTheConfigDef() throws Exception {
        ConfigDocs.check(ParquetSinkConfig.CONFIG_DEF, ExampleConfig.repoRoot().resolve("docs/sink.md"));
    }
}
