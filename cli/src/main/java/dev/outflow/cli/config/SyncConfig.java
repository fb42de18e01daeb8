package dev.outflow.cli.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an outflow YAML file says, checked for shape (known keys, right kinds of values) but not yet against the
 * database or the output. {@link ConnectorProperties} turns it into the connectors' own keys.
 *
 * @param file the YAML file, for messages
 * @param tables the tables listed under {@code tables:}; empty means discovery of {@code schema}
 * @param schema the schema to discover tables in (and the default schema of listed names)
 * @param exclude tables of {@code schema} not to sync when discovering
 * @param batchSize rows per page read ({@code batch.max.rows}), or null for the source's default
 * @param pollInterval wait between two passes in continuous mode
 * @param flushSize records per Parquet file at most, or null for the command's default
 * @param sourceKeys raw source connector keys ({@code source:}), applied last
 * @param sinkKeys raw sink connector keys ({@code sink:}), applied last
 * @param lines the line of each YAML key, by its path (e.g. {@code tables[0].incremental_column}), for messages
 */
public record SyncConfig(Path file, Postgres postgres, Output output, List<TableSpec> tables, String schema,
        List<String> exclude, Integer batchSize, Path stateDir, Duration pollInterval, Integer flushSize,
        Map<String, String> sourceKeys, Map<String, String> sinkKeys, Map<String, Integer> lines) {

    /** Where the database is: a JDBC URL, or host/port/database. The password is already resolved. */
    public record Postgres(String url, String host, int port, String database, String user, String password) {

        public String jdbcUrl() {
            return url != null ? url : "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /** Where files go: {@code type: local} with a path, or {@code type: s3}. */
    public record Output(String type, Path path, String bucket, String prefix, String region, String endpoint,
            String accessKeyId, String secretAccessKey) {

        public boolean isS3() {
            return "s3".equals(type);
        }

        /** For messages: the directory or s3://bucket/prefix. */
        public String where() {
            return isS3() ? "s3://" + bucket + (prefix == null || prefix.isEmpty() ? "" : "/" + prefix)
                    : path.toString();
        }
    }

    /** Directory levels by time under each table. */
    public enum PartitionBy {
        DATE("day", "year=YYYY/month=MM/day=DD"), MONTH("month", "year=YYYY/month=MM"), YEAR("year", "year=YYYY"),
        HOUR("hour", "year=YYYY/month=MM/day=DD/hour=HH");

        private final String granularity;
        private final String pattern;

        PartitionBy(String granularity, String pattern) {
            this.granularity = granularity;
            this.pattern = pattern;
        }

        /** The sink's partition.granularity. */
        public String granularity() {
            return granularity;
        }

        public String pattern() {
            return pattern;
        }
    }

    /**
     * One entry of {@code tables:}.
     *
     * @param name {@code table} (in {@code schema}, default public) or {@code schema.table}
     * @param path the YAML path of the entry, e.g. {@code tables[2]}
     */
    public record TableSpec(String name, String incrementalColumn, String tiebreaker, PartitionBy partitionBy,
            List<String> columns, String path) {
    }

    /** "(outflow.yaml line 12, key tables[0].incremental_column)" when the key's line is known. */
    public String origin(String yamlPath) {
        Integer line = lines.get(yamlPath);
        return "(" + file.getFileName() + (line == null ? "" : " line " + line) + ", key " + yamlPath + ")";
    }
}
