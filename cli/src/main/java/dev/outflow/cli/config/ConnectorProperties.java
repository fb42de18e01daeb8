package dev.outflow.cli.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connector keys the YAML's fixed sections stand for (docs/cli.md has the whole table). Per-table keys are
 * added by the sync planner, which needs the catalog to know them. Each key remembers the YAML key it came from,
 * so a connector's complaint about it can name the line.
 */
public final class ConnectorProperties {

    /** Records per Parquet file when flush_size is not set: fewer, larger files than the sink connector's 10,000. */
    public static final int DEFAULT_FLUSH_SIZE = 100_000;

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();

    public void put(String key, String value, String yamlPath) {
        values.put(key, value);
        if (yamlPath != null) {
            origins.put(key, yamlPath);
        } else {
            origins.remove(key);
        }
    }

    public Map<String, String> values() {
        return values;
    }

    /** The YAML key a connector key came from, or null when the command chose it. */
    public String origin(String connectorKey) {
        return origins.get(connectorKey);
    }

    /** The source connector's connection and polling keys. */
    public static ConnectorProperties source(SyncConfig config) {
        ConnectorProperties p = new ConnectorProperties();
        SyncConfig.Postgres pg = config.postgres();
        p.put("connection.url", pg.jdbcUrl(), pg.url() != null ? "postgres.url" : "postgres.database");
        if (pg.user() != null) {
            p.put("connection.user", pg.user(), "postgres.user");
        }
        if (pg.password() != null) {
            p.put("connection.password", pg.password(), "postgres.password");
        }
        // One try, no backoff: the command reports an unreachable database at once instead of retrying silently.
        p.put("connection.attempts", "1", null);
        p.put("topic.prefix", "", null);
        if (config.batchSize() != null) {
            p.put("batch.max.rows", Integer.toString(config.batchSize()), "batch_size");
        }
        p.put("poll.interval.ms", Long.toString(config.pollInterval().toMillis()), "poll_interval");
        return p;
    }

    /** The sink connector's storage keys (partitioning is added per group of tables). */
    public static ConnectorProperties sink(SyncConfig config) {
        ConnectorProperties p = new ConnectorProperties();
        SyncConfig.Output out = config.output();
        if (out.isS3()) {
            p.put("storage.type", "s3", "output.type");
            p.put("s3.bucket.name", out.bucket(), "output.bucket");
            p.put("topics.dir", out.prefix(), "output.prefix");
            if (out.region() != null) {
                p.put("s3.region", out.region(), "output.region");
            }
            if (out.endpoint() != null) {
                p.put("store.url", out.endpoint(), "output.endpoint");
            }
            if (out.accessKeyId() != null) {
                p.put("aws.access.key.id", out.accessKeyId(), "output.access_key_id");
            }
            if (out.secretAccessKey() != null) {
                p.put("aws.secret.access.key", out.secretAccessKey(), "output.secret_access_key");
            }
        } else {
            p.put("storage.type", "local", "output.type");
            p.put("local.dir", out.path().toString(), "output.path");
            p.put("topics.dir", "", null);
        }
        p.put("flush.size", Integer.toString(config.flushSize() != null ? config.flushSize() : DEFAULT_FLUSH_SIZE),
                config.flushSize() != null ? "flush_size" : null);
        // Files are published at the end of every pass; no wall-clock rotation in between.
        p.put("rotate.schedule.interval.ms", "-1", null);
        return p;
    }

    /** Applies raw connector keys from the YAML's source: or sink: map; they win over everything else. */
    public void putRaw(Map<String, String> raw, String section) {
        raw.forEach((k, v) -> put(k, v, section + "." + k));
    }
}
