package dev.outflow.source.config;

import org.junit.jupiter.api.Test;

import dev.outflow.testing.ConfigDocs;
import dev.outflow.testing.ExampleConfig;

/** docs/source.md carries the configuration reference generated from the ConfigDef; this keeps them equal. */
class ConfigReferenceTest {
    @Test
    void docsMatchTheConfigDef() throws Exception {
        ConfigDocs.check(PostgresSourceConfig.CONFIG_DEF, ExampleConfig.repoRoot().resolve("docs/source.md"));
    }
}
