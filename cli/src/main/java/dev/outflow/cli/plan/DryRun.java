package dev.outflow.cli.plan;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import dev.outflow.cli.config.SyncConfig;
import dev.outflow.cli.state.StateStore;
import dev.outflow.cli.state.TableState;
import dev.outflow.cli.sync.DatabaseUnreachableException;
import dev.outflow.cli.sync.Planner;
import dev.outflow.cli.sync.SyncPlan;
import dev.outflow.cli.sync.TablePlan;
import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.format.AvroSchemas;
import dev.outflow.sink.format.Codecs;
import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.connection.ConnectionFactory;

/**
 * {@code sync --dry-run}: resolves the plan exactly as a sync would (same checks, same errors), then prints it
 * and writes nothing: not the output (not even a probe file), not the state directory.
 */
public final class DryRun {

    private DryRun() {
    }

    public static void print(SyncConfig config, PrintWriter out) {
        SyncPlan plan = Planner.planWithoutOutputCheck(config);
        Map<String, TableState> states = StateStore.read(config.stateDir());
        Map<String, String> src = plan.sourceProps();
        ConnectionFactory connections = new ConnectionFactory(src.get("connection.url"), src.get("connection.user"),
                src.get("connection.password"), 1, 0);
        out.println("Dry run: nothing is written. " + plan.tables().size() + " table(s) from "
                + connections.redactedUrl() + " to " + config.output().where() + ", state in " + config.stateDir());
        try (Connection conn = connections.openOnce()) {
            for (TablePlan t : plan.tables()) {
                out.println();
                printTable(out, config, plan, t, states.get(t.topic()), conn);
            }
            conn.commit();
        } catch (SQLException e) {
            throw new DatabaseUnreachableException("Cannot connect to " + connections.redactedUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void printTable(PrintWriter out, SyncConfig config, SyncPlan plan, TablePlan t, TableState state,
            Connection conn) throws SQLException {
        out.println("Table " + t.table().qualifiedName());
        out.println("  mode:        " + t.readPlan().describe() + " (" + t.readPlan().reason() + ")");
        if (state == null || state.watermark() == null) {
            out.println("  watermark:   none stored: reads from the start"
                    + (state == null ? "" : " (files continue after offset " + state.nextOffset() + ")"));
        } else {
            out.println("  watermark:   " + state.watermark() + " (stored " + state.updatedAt() + ")");
        }
        out.println("  files:       " + filePattern(config, plan, t));
        long remaining = RemainingRows.count(conn, t.readPlan(), state == null ? null : state.watermark());
        out.println("  rows to read: " + remaining + (t.readPlan().keepsPosition() ? "" : " (bulk: every row, "
                + "every pass)"));
        out.println("  columns:");
        List<ColumnDefinition> columns = t.columns().columns();
        MessageType parquet = new AvroSchemaConverter(new PlainParquetConfiguration())
                .convert(new AvroSchemas().recordSchema(t.valueSchema()));
        int width = columns.stream().mapToInt(c -> c.name().length()).max().orElse(4);
        int typeWidth = columns.stream().mapToInt(c -> c.typeName().length()).max().orElse(4);
        for (int i = 0; i < columns.size(); i++) {
            ColumnDefinition c = columns.get(i);
            String parquetType = i < parquet.getFieldCount() ? describe(parquet.getType(i)) : "?";
            out.printf("    %-" + width + "s  %-" + typeWidth + "s -> %s%n", c.name(), c.typeName(), parquetType);
        }
    }

    private static String filePattern(SyncConfig config, SyncPlan plan, TablePlan t) {
        ParquetSinkConfig sink = new ParquetSinkConfig(plan.sinkPropsByGroup().get(t.sinkGroup()));
        String root = config.output().isS3() ? "s3://" + config.output().bucket() + "/" : config.output().path() + "/";
        String partition = t.partitionBy() == null ? "" : t.partitionBy().pattern() + "/";
        String by = t.partitionBy() == null ? "" : t.partitionField() != null ? "  (by \"" + t.partitionField()
                + "\")" : "  (by the time of writing: the table has no timestamp incremental_column)";
        return root + sink.fileNaming().tablePrefix(t.directory()) + partition + t.directory() + "+0+<offset>."
                + Codecs.fileTag(sink.codec()) + ".parquet" + by;
    }

    /** A Parquet field's type as Parquet tools print it, e.g. INT64 TIMESTAMP(MICROS,true). */
    static String describe(Type type) {
        LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
        if (!type.isPrimitive()) {
            return a != null ? a.toString() : "STRUCT";
        }
        String primitive = type.asPrimitiveType().getPrimitiveTypeName().name();
        if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation time) {
            // Written as a local time of day (see the sink's ParquetSchemas).
            return primitive + " TIME(" + time.getUnit() + ",false)";
        }
        return a == null ? primitive : primitive + " " + a;
    }

}
