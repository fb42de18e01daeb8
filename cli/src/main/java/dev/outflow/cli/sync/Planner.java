package dev.outflow.cli.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigValue;

import dev.outflow.cli.config.ConfigException;
import dev.outflow.cli.config.ConnectorProperties;
import dev.outflow.cli.config.SyncConfig;
import dev.outflow.cli.config.SyncConfig.TableSpec;
import dev.outflow.sink.ParquetSinkConnector;
import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.partition.Partitioners;
import dev.outflow.source.catalog.Catalog;
import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.PostgresSourceConfig;
import dev.outflow.source.config.TableOverrides;
import dev.outflow.source.config.TableSettings;
import dev.outflow.source.connection.ConnectionFactory;
import dev.outflow.source.connection.SqlErrors;
import dev.outflow.source.query.ColumnSelection;
import dev.outflow.source.query.KeyColumn;
import dev.outflow.source.query.PlanException;
import dev.outflow.source.query.ReadPlan;
import dev.outflow.source.query.ReadPlans;
import dev.outflow.source.types.AvroNames;
import dev.outflow.source.types.RowMapper;

/**
 * Turns a {@link SyncConfig} into the connectors' keys and a {@link TablePlan} per table, checking everything a
 * sync would otherwise fail on later: the database answers, every table and column exists and suits its mode,
 * every connector key is valid, and the output can be written. Each failure names the YAML key (and line) to fix.
 */
public final class Planner {

    private final SyncConfig config;
    private final ConnectorProperties source;
    private final String defaultSchema;
    private final boolean checkOutput;

    private Planner(SyncConfig config, boolean checkOutput) {
        this.config = config;
        this.checkOutput = checkOutput;
        this.source = ConnectorProperties.source(config);
        this.defaultSchema = config.schema() != null ? config.schema() : "public";
    }

    /**
     * @throws ConfigException for anything the YAML must change
     * @throws DatabaseUnreachableException when the database does not answer or refuses the login
     * @throws OutputUnwritableException when the output cannot be written
     */
    public static SyncPlan plan(SyncConfig config) {
        return new Planner(config, true).plan();
    }

    /** The plan without trying the output (trying it writes a probe file or a test upload): for --dry-run. */
    public static SyncPlan planWithoutOutputCheck(SyncConfig config) {
        return new Planner(config, false).plan();
    }

    private SyncPlan plan() {
        Map<String, String> props = source.values();
        ConnectionFactory connections = new ConnectionFactory(props.get("connection.url"),
                props.get("connection.user"), props.get("connection.password"), 1, 0);
        List<TablePlan> tables = new ArrayList<>();
        try (Connection conn = connections.openOnce()) {
            Map<TableId, TableSpec> specs = chooseTables(conn);
            PostgresSourceConfig sourceConfig = sourceConfig();
            for (Map.Entry<TableId, TableSpec> e : specs.entrySet()) {
                tables.add(tablePlan(conn, sourceConfig, e.getKey(), e.getValue()));
            }
            conn.commit();
        } catch (SQLException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            throw new DatabaseUnreachableException("Cannot connect to " + connections.redactedUrl() + ": " + reason
                    + (SqlErrors.isAuthentication(e) ? ". Check postgres.user and postgres.password (or "
                            + "password_env) " + config.origin("postgres")
                            : ". Check that PostgreSQL is running there and reachable from this machine "
                                    + config.origin("postgres")), e);
        }
        props.put(PostgresSourceConfig.TASK_TABLES, TableId.encodeAll(tables.stream().map(TablePlan::table)
                .toList()));
        return new SyncPlan(Map.copyOf(props), List.copyOf(tables), sinkProps(tables));
    }

    /** The tables to sync, with their YAML entry (null when discovered), and the include/exclude keys for them. */
    private Map<TableId, TableSpec> chooseTables(Connection conn) throws SQLException {
        Map<TableId, TableSpec> chosen = new LinkedHashMap<>();
        if (!config.tables().isEmpty()) {
            List<String> include = new ArrayList<>();
            int alias = 0;
            for (TableSpec spec : config.tables()) {
                TableId id = tableId(spec.name());
                if (Catalog.describe(conn, id).isEmpty()) {
                    throw new ConfigException("Table " + id + " does not exist, or user " + source.values()
                            .get("connection.user") + " cannot see it " + config.origin(spec.path() + ".name")
                            + ". Names are schema.table (schema default " + defaultSchema + "), spelt as in "
                            + "PostgreSQL");
                }
                if (chosen.put(id, spec) != null) {
                    throw new ConfigException("Table " + id + " is listed twice " + config.origin(spec.path()
                            + ".name"));
                }
                include.add(regex(id.schema()) + "\\." + regex(id.table()));
                addOverride(conn, "t" + alias++, id, spec);
            }
            source.put(PostgresSourceConfig.TABLE_INCLUDE_LIST, String.join(",", include), "tables");
        } else {
            Pattern all = Pattern.compile(regex(defaultSchema) + "\\..*");
            List<Pattern> exclude = config.exclude().stream()
                    .map(name -> Pattern.compile(regex(defaultSchema) + "\\." + regex(name))).toList();
            List<TableId> found = Catalog.findTables(conn, List.of(all), exclude);
            if (found.isEmpty()) {
                throw new ConfigException("Schema " + defaultSchema + " has no tables (besides exclude:) that user "
                        + source.values().get("connection.user") + " can see " + config.origin("schema"));
            }
            found.forEach(id -> chosen.put(id, null));
            source.put(PostgresSourceConfig.TABLE_INCLUDE_LIST, all.pattern(), "schema");
            if (!exclude.isEmpty()) {
                source.put(PostgresSourceConfig.TABLE_EXCLUDE_LIST, String.join(",",
                        exclude.stream().map(Pattern::pattern).toList()), "exclude");
            }
        }
        return chosen;
    }

    /** A table override for a listed table's own settings (mode from its incremental column's type, columns). */
    private void addOverride(Connection conn, String alias, TableId id, TableSpec spec) throws SQLException {
        String prefix = TableOverrides.prefix(alias);
        List<String> keys = new ArrayList<>();
        if (spec.incrementalColumn() != null) {
            String path = spec.path() + ".incremental_column";
            ColumnDefinition column = Catalog.describe(conn, id).orElseThrow().column(spec.incrementalColumn())
                    .orElseThrow(() -> new ConfigException("Table " + id + " has no column \""
                            + spec.incrementalColumn() + "\" " + config.origin(path)));
            if (KeyColumn.isIntegerType(column.typeName())) {
                if (spec.tiebreaker() != null) {
                    throw new ConfigException("tiebreaker is for a timestamp incremental_column, but \""
                            + column.name() + "\" is an integer (" + column.typeName() + "), which is unique "
                            + "enough on its own " + config.origin(spec.path() + ".tiebreaker"));
                }
                source.put(prefix + PostgresSourceConfig.MODE, "incrementing", path);
                source.put(prefix + PostgresSourceConfig.INCREMENTING_COLUMN_NAME, column.name(), path);
            } else if (KeyColumn.isTimestampType(column.typeName())) {
                source.put(prefix + PostgresSourceConfig.MODE, "timestamp", path);
                source.put(prefix + PostgresSourceConfig.TIMESTAMP_COLUMN_NAME, column.name(), path);
            } else {
                throw new ConfigException("incremental_column \"" + column.name() + "\" of " + id + " is of type "
                        + column.typeName() + "; it must be a timestamp, timestamptz or integer column "
                        + config.origin(path));
            }
            keys.add("incremental");
        }
        if (spec.tiebreaker() != null) {
            if (spec.incrementalColumn() == null) {
                throw new ConfigException("tiebreaker needs incremental_column (a timestamp column) "
                        + config.origin(spec.path() + ".tiebreaker"));
            }
            source.put(prefix + PostgresSourceConfig.TIEBREAKER_COLUMN_NAME, spec.tiebreaker(),
                    spec.path() + ".tiebreaker");
        }
        if (!spec.columns().isEmpty()) {
            source.put(prefix + TableOverrides.COLUMN_INCLUDE_LIST, String.join(",", spec.columns()),
                    spec.path() + ".columns");
            keys.add("columns");
        }
        if (keys.isEmpty() && spec.tiebreaker() == null) {
            return;
        }
        source.put(prefix + TableOverrides.TABLE, id.qualifiedName(), spec.path() + ".name");
        String aliases = source.values().get(TableOverrides.ALIASES);
        source.put(TableOverrides.ALIASES, aliases == null ? alias : aliases + "," + alias, null);
    }

    private PostgresSourceConfig sourceConfig() {
        source.putRaw(config.sourceKeys(), "source");
        PostgresSourceConfig parsed;
        try {
            parsed = new PostgresSourceConfig(source.values());
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new ConfigException("Invalid source setting: " + e.getMessage() + originOfMessage(e.getMessage()));
        }
        for (PostgresSourceConfig.Problem p : parsed.problems()) {
            throw new ConfigException(p.message() + " " + origin(p.key()));
        }
        return parsed;
    }

    private TablePlan tablePlan(Connection conn, PostgresSourceConfig sourceConfig, TableId id, TableSpec spec)
            throws SQLException {
        TableDefinition definition = Catalog.describe(conn, id).orElseThrow(() -> new ConfigException("Table "
                + id + " disappeared while planning"));
        TableSettings settings = sourceConfig.settingsFor(id);
        ReadPlan readPlan;
        TableDefinition selected;
        try {
            readPlan = ReadPlans.resolve(definition, settings);
            selected = ColumnSelection.apply(definition, settings);
        } catch (PlanException e) {
            throw new ConfigException(e.getMessage() + " " + origin(e.configKey()));
        }
        String topic = settings.topic();
        RowMapper mapper = new RowMapper(selected, AvroNames.fullName(topic), sourceConfig.typeOptions());
        SyncConfig.PartitionBy partitionBy = spec == null ? null : spec.partitionBy();
        String partitionField = null;
        if (partitionBy != null && readPlan.timestamp().isPresent()
                && mapper.columnNames().contains(readPlan.timestamp().get().name())) {
            partitionField = mapper.fieldName(readPlan.timestamp().get().name());
        }
        return new TablePlan(id, topic, readPlan, selected, mapper.valueSchema(), directoryOf(topic), partitionBy,
                partitionField);
    }

    /** Tables of the default schema get their bare name as directory; others keep schema.table. */
    private String directoryOf(String topic) {
        String prefix = PostgresSourceConfig.topicName(defaultSchema) + ".";
        return topic.startsWith(prefix) ? topic.substring(prefix.length()) : topic;
    }

    /** One sink configuration per distinct partitioning: the sink's partitioner is per connector, not per table. */
    private Map<String, Map<String, String>> sinkProps(List<TablePlan> tables) {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        ConnectorProperties checked = null;
        for (TablePlan t : tables) {
            if (groups.containsKey(t.sinkGroup())) {
                continue;
            }
            ConnectorProperties sink = ConnectorProperties.sink(config);
            sink.put(ParquetSinkConfig.TABLE_NAME_REGEX, regex(PostgresSourceConfig.topicName(defaultSchema))
                    + "\\.(.*)", null);
            sink.put(ParquetSinkConfig.TABLE_NAME_REPLACEMENT, "$1", null);
            if (t.partitionBy() == null) {
                // Without partition_by, files go straight under the table: a partition=0 level would only echo
                // the single Kafka partition the command does not even have.
                sink.put(ParquetSinkConfig.PARTITIONER_CLASS, Partitioners.NONE, null);
            } else {
                String path = config.tables().stream().filter(s -> s.partitionBy() == t.partitionBy()).findFirst()
                        .map(s -> s.path() + ".partition_by").orElse(null);
                sink.put(ParquetSinkConfig.PARTITIONER_CLASS, "time", path);
                sink.put(ParquetSinkConfig.PARTITION_GRANULARITY, t.partitionBy().granularity(), path);
                if (t.partitionField() != null) {
                    sink.put(ParquetSinkConfig.TIMESTAMP_EXTRACTOR, "RecordField", path);
                    sink.put(ParquetSinkConfig.TIMESTAMP_FIELD, t.partitionField(), path);
                } else {
                    sink.put(ParquetSinkConfig.TIMESTAMP_EXTRACTOR, "Wallclock", path);
                }
            }
            sink.putRaw(config.sinkKeys(), "sink");
            if (checked == null && checkOutput) {
                checked = sink;
                checkOutput(sink);
            }
            groups.put(t.sinkGroup(), Map.copyOf(sink.values()));
        }
        return groups;
    }

    /** The sink connector's own validation: a writable directory, or a bucket that accepts an upload. */
    private void checkOutput(ConnectorProperties sink) {
        List<ConfigValue> values = new ParquetSinkConnector().validate(sink.values()).configValues();
        for (ConfigValue v : values) {
            if (v.errorMessages().isEmpty()) {
                continue;
            }
            String message = String.join("; ", v.errorMessages());
            var key = ParquetSinkConfig.CONFIG_DEF.configKeys().get(v.name());
            boolean storage = key != null && (ParquetSinkConfig.GROUP_STORAGE.equals(key.group)
                    || ParquetSinkConfig.GROUP_S3.equals(key.group));
            String origin = sink.origin(v.name()) == null ? "" : " " + config.origin(sink.origin(v.name()));
            if (storage) {
                throw new OutputUnwritableException("Cannot write to " + config.output().where() + ": " + message
                        + origin);
            }
            throw new ConfigException("Invalid sink setting " + v.name() + ": " + message + origin);
        }
    }

    private String origin(String connectorKey) {
        String path = source.origin(connectorKey);
        return path == null ? "(source connector key " + connectorKey + ")" : config.origin(path);
    }

    /** Kafka's ConfigException names the key in its message: find it to name the YAML line too. */
    private String originOfMessage(String message) {
        for (String key : source.values().keySet()) {
            if (message.contains(key) && source.origin(key) != null) {
                return " " + config.origin(source.origin(key));
            }
        }
        return "";
    }

    private TableId tableId(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? new TableId(defaultSchema, name) : new TableId(name.substring(0, dot),
                name.substring(dot + 1));
    }

    /** A name as a regular expression matching exactly it. */
    static String regex(String name) {
        return name.replaceAll("([\\\\.\\[\\]{}()*+?^$|,])", "\\\\$1");
    }
}
