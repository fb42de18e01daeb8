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
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.source.catalog.Catalog;
import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.PostgresSourceConfig;
import dev.outflow.source.connection.ConnectionFactory;
import dev.outflow.source.connection.SqlErrors;
import dev.outflow.source.task.PostgresSourceTask;

/**
 * Kafka Connect source connector for PostgreSQL. Finds the configured tables in the catalog and spreads them over
 * up to {@code tasks.max} tasks; each task polls its tables with watermark queries.
 */
public class PostgresSourceConnector extends SourceConnector {
    private static final Logger log = LoggerFactory.getLogger(PostgresSourceConnector.class);

    private Map<String, String> props;
    private List<TableId> tables;

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

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        PostgresSourceConfig config = new PostgresSourceConfig(props);
        ConnectionFactory connections = new ConnectionFactory(config);
        try (Connection conn = connections.open()) {
            tables = Catalog.findTables(conn, config.includePatterns(), config.excludePatterns());
            conn.commit();
        } catch (SQLException e) {
            throw new ConnectException("Cannot list tables at " + connections.redactedUrl() + ": " + e.getMessage()
                    + ". Check connection.url, connection.user and connection.password.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while listing tables", e);
        }
        if (tables.isEmpty()) {
            throw new ConnectException("No table matches table.include.list=" + props.get(
                    PostgresSourceConfig.TABLE_INCLUDE_LIST) + " (minus table.exclude.list). Patterns match the "
                    + "whole schema.table, e.g. public\\.orders or public\\..*");
        }
        log.info("Source connector found {} table(s): {}", tables.size(), tables);
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        int taskCount = Math.min(maxTasks, tables.size());
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
        log.info("Source connector stopped");
    }

    /**
     * Incrementing mode resumes exactly after the last emitted row (the offset is that row's key), so with
     * exactly-once source support on the worker, each row is written to Kafka once.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * Beyond each key's own checks, tries the database: reports an unreachable server or bad credentials on the
     * connection keys, no matching tables on table.include.list, and a missing or unusable incrementing column on
     * incrementing.column.name, each naming the fix.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> values = new HashMap<>();
        result.configValues().forEach(v -> values.put(v.name(), v));
        boolean keysValid = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (!keysValid) {
            return result;
        }
        PostgresSourceConfig config = new PostgresSourceConfig(connectorConfigs);
        ConnectionFactory connections = new ConnectionFactory(config);
        try (Connection conn = connections.openOnce()) {
            List<TableId> found = Catalog.findTables(conn, config.includePatterns(), config.excludePatterns());
            if (found.isEmpty()) {
                values.get(PostgresSourceConfig.TABLE_INCLUDE_LIST).addErrorMessage(
                        "No table in the database matches these patterns (minus table.exclude.list). Patterns "
                                + "match the whole schema.table, e.g. public\\.orders or public\\..*");
            }
            for (TableId table : found) {
                Optional<TableDefinition> definition = Catalog.describe(conn, table);
                Optional<ColumnDefinition> column = definition.flatMap(d -> d.column(config.incrementingColumn()));
                if (column.isEmpty()) {
                    values.get(PostgresSourceConfig.INCREMENTING_COLUMN_NAME).addErrorMessage("Table " + table
                            + " has no column \"" + config.incrementingColumn() + "\"; name a column every table "
                            + "has, or exclude the table with table.exclude.list");
                } else if (!List.of("int2", "int4", "int8").contains(column.get().typeName())) {
                    values.get(PostgresSourceConfig.INCREMENTING_COLUMN_NAME).addErrorMessage("Column \""
                            + config.incrementingColumn() + "\" of " + table + " is " + column.get().typeName()
                            + "; incrementing mode needs an integer column (int2, int4, int8)");
                }
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
