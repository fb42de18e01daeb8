package dev.outflow.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.source.catalog.Catalog;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.catalog.TableId;
import dev.outflow.source.catalog.TableMonitor;
import dev.outflow.source.config.Mode;
import dev.outflow.source.config.PostgresSourceConfig;
import dev.outflow.source.config.TableOverrides;
import dev.outflow.source.config.TableSettings;
import dev.outflow.source.connection.ConnectionFactory;
import dev.outflow.source.connection.SqlErrors;
import dev.outflow.source.query.ColumnSelection;
import dev.outflow.source.query.PlanException;
import dev.outflow.source.query.ReadPlan;
import dev.outflow.source.query.ReadPlans;
import dev.outflow.source.task.PostgresSourceTask;
import dev.outflow.source.task.SourceOffsets;

/**
 * Kafka Connect source connector for PostgreSQL. Finds the configured tables in the catalog, keeps looking for
 * tables created or dropped while it runs, and spreads them over up to {@code tasks.max} tasks; each task polls
 * its tables with keyset watermark queries.
 */
public class PostgresSourceConnector extends SourceConnector {
    private static final Logger log = LoggerFactory.getLogger(PostgresSourceConnector.class);

    private Map<String, String> props;
    private TableMonitor monitor;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ConfigDef config() {
        return PostgresSourceConfig.CONFIG_DEF;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PostgresSourceTask.class;
    }

    /**
     * Lists the tables once, then leaves watching to the table monitor. Bad credentials fail the connector (only
     * the user can fix them); an unreachable database does not: the connector starts without tables and the
     * monitor picks them up when the database is back.
     */
    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        PostgresSourceConfig config = new PostgresSourceConfig(props);
        config.checkProblems();
        ConnectionFactory connections = new ConnectionFactory(config);
        monitor = new TableMonitor(connections, config.includePatterns(), config.excludePatterns(),
                config.tableTypes(), config.tablePollIntervalMs(), () -> context.requestTaskReconfiguration());
        List<TableId> tables = List.of();
        try {
            tables = monitor.lookNow();
        } catch (SQLException e) {
            if (SqlErrors.isAuthentication(e)) {
                throw new ConnectException("Cannot log in at " + connections.redactedUrl() + ": " + e.getMessage()
                        + ". Check connection.user and connection.password.", e);
            }
            log.warn("Cannot list tables at {} ({}); starting without tables and looking again every {} ms",
                    connections.redactedUrl(), e.getMessage(), config.tablePollIntervalMs());
        }
        if (tables.isEmpty()) {
            log.warn("No table matches table.include.list={} (minus table.exclude.list, table.types={}) yet; the "
                    + "connector keeps one idle task and looks again every {} ms. Patterns match the whole "
                    + "schema.table, e.g. public\\.orders or public\\..*", props.get(
                            PostgresSourceConfig.TABLE_INCLUDE_LIST), config.tableTypes(),
                    config.tablePollIntervalMs());
        } else {
            log.info("Source connector found {} table(s): {}", tables.size(), tables);
        }
        monitor.start(tables, props.getOrDefault("name", "source"));
    }

    /**
     * Round-robin over at most {@code tasks.max} tasks. With no table there is still one task (idle, saying so
     * in its log), never zero: a connector with zero tasks looks healthy while doing nothing.
     */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<TableId> tables = monitor.tables();
        int taskCount = Math.max(1, Math.min(maxTasks, tables.size()));
        List<List<TableId>> groups = new ArrayList<>();
        for (int i = 0; i < taskCount; i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < tables.size(); i++) {
            groups.get(i % taskCount).add(tables.get(i));
        }
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<TableId> group : groups) {
            Map<String, String> taskProps = new HashMap<>(props);
            taskProps.put(PostgresSourceConfig.TASK_TABLES, TableId.encodeAll(group));
            configs.add(taskProps);
        }
        return configs;
    }

    @Override
    public void stop() {
        if (monitor != null) {
            monitor.stop();
        }
        log.info("Source connector stopped");
    }

    /**
     * Every mode but bulk resumes exactly after the last emitted row (the offset is that row's whole key), so with
     * exactly-once source support on the worker each row is written to Kafka once. Bulk keeps no position.
     * For auto, the tables are looked at: supported when none of them would be read in bulk.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        PostgresSourceConfig config;
        try {
            config = new PostgresSourceConfig(connectorConfig);
        } catch (ConfigException e) {
            return ExactlyOnceSupport.UNSUPPORTED;
        }
        java.util.Set<Mode> modes = java.util.EnumSet.of(config.mode());
        config.overrideAliases().keySet().forEach(table -> modes.add(config.settingsFor(tableOf(table)).mode()));
        if (modes.contains(Mode.BULK)) {
            return ExactlyOnceSupport.UNSUPPORTED;
        }
        return !modes.contains(Mode.AUTO) || autoHasNoBulkTable(config) ? ExactlyOnceSupport.SUPPORTED
                : ExactlyOnceSupport.UNSUPPORTED;
    }

    /** The table an override names (schema.table, split at the first dot as TableId#qualifiedName joins them). */
    private static TableId tableOf(String qualifiedName) {
        int dot = qualifiedName.indexOf('.');
        return new TableId(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1));
    }

    private static boolean autoHasNoBulkTable(PostgresSourceConfig config) {
        try (Connection conn = new ConnectionFactory(config).openOnce()) {
            for (TableId table : Catalog.findTables(conn, config.includePatterns(), config.excludePatterns(),
                    config.tableTypes())) {
                Optional<TableDefinition> definition = Catalog.describe(conn, table);
                if (definition.isPresent()
                        && ReadPlans.resolve(definition.get(), config.settingsFor(table)).mode() == Mode.BULK) {
                    return false;
                }
            }
            conn.commit();
            return true;
        } catch (SQLException | PlanException e) {
            return false;
        }
    }

    /**
     * KIP-875: checks offsets written through {@code PATCH /connectors/{name}/offsets} before Connect stores them.
     * Each must name a table ({@code {"schema", "table"}}) and have the shape of the configured mode (see
     * docs/source.md); a null offset resets the table. The connector is stopped meanwhile, so this needs no task.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        PostgresSourceConfig config;
        try {
            config = new PostgresSourceConfig(connectorConfig);
        } catch (ConfigException e) {
            throw new ConnectException("Cannot check the offsets: the connector configuration is invalid: "
                    + e.getMessage(), e);
        }
        offsets.forEach((partition, offset) -> {
            Mode mode = config.mode();
            if (partition != null && partition.get(SourceOffsets.SCHEMA) instanceof String schema
                    && partition.get(SourceOffsets.TABLE) instanceof String table) {
                mode = config.settingsFor(new TableId(schema, table)).mode(); // its override's, if any
            }
            SourceOffsets.validate(mode, partition, offset);
        });
        return true;
    }

    /**
     * Beyond each key's own checks, tries the database: reports an unreachable server or bad credentials on the
     * connection keys, no matching tables on table.include.list, and, per table, a missing or unusable
     * timestamp, incrementing or tiebreaker column on the key that names it. For mode auto, the mode picked for
     * each table is listed as the recommended values of {@code mode}.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        // The keys of each alias of table.overrides are validated too, so their errors land on them.
        Config result = new Config(PostgresSourceConfig.configDef(connectorConfigs).validate(connectorConfigs));
        Map<String, ConfigValue> values = new HashMap<>();
        result.configValues().forEach(v -> values.put(v.name(), v));
        boolean keysValid = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (!keysValid) {
            return result;
        }
        PostgresSourceConfig config = new PostgresSourceConfig(connectorConfigs);
        List<PostgresSourceConfig.Problem> problems = config.problems();
        problems.forEach(p -> values.get(p.key()).addErrorMessage(p.message()));
        if (!problems.isEmpty()) {
            return result;
        }
        ConnectionFactory connections = new ConnectionFactory(config);
        try (Connection conn = connections.openOnce()) {
            List<TableId> found = Catalog.findTables(conn, config.includePatterns(), config.excludePatterns(),
                    config.tableTypes());
            if (found.isEmpty()) {
                values.get(PostgresSourceConfig.TABLE_INCLUDE_LIST).addErrorMessage(
                        "No table in the database matches these patterns (minus table.exclude.list, of types "
                                + config.tableTypes() + "). Patterns match the whole schema.table, e.g. "
                                + "public\\.orders or public\\..*");
            }
            config.overrideAliases().forEach((table, alias) -> {
                if (found.stream().noneMatch(t -> t.qualifiedName().equals(table))) {
                    values.get(TableOverrides.prefix(alias) + TableOverrides.TABLE).addErrorMessage("No table "
                            + table + " matches table.include.list (minus table.exclude.list, of types "
                            + config.tableTypes() + "); name it as schema.table exactly as PostgreSQL spells it");
                }
            });
            List<Object> picks = new ArrayList<>();
            for (TableId table : found) {
                Optional<TableDefinition> definition = Catalog.describe(conn, table);
                if (definition.isEmpty()) {
                    continue;
                }
                TableSettings settings = config.settingsFor(table);
                try {
                    ReadPlan plan = ReadPlans.resolve(definition.get(), settings);
                    ColumnSelection.apply(definition.get(), settings);
                    picks.add(table + ": " + plan.describe() + " (" + plan.reason() + ")");
                } catch (PlanException e) {
                    values.get(e.configKey()).addErrorMessage(e.getMessage());
                }
            }
            if (config.mode() == Mode.AUTO) {
                values.get(PostgresSourceConfig.MODE).recommendedValues(picks);
            }
            conn.commit();
        } catch (SQLException e) {
            String key = SqlErrors.isAuthentication(e) ? PostgresSourceConfig.CONNECTION_PASSWORD
                    : PostgresSourceConfig.CONNECTION_URL;
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            values.get(key).addErrorMessage("Cannot connect to " + connections.redactedUrl() + ": " + reason
                    + (reason.endsWith(".") ? " " : ". ")
                    + (SqlErrors.isAuthentication(e) ? "Check connection.user and connection.password."
                            : "Check that the server is running and reachable from the Connect worker."));
        }
        return result;
    }
}
