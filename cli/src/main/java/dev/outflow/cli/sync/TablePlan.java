package dev.outflow.cli.sync;

import org.apache.kafka.connect.data.Schema;

import dev.outflow.cli.config.SyncConfig;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.catalog.TableId;
import dev.outflow.source.query.ReadPlan;

/**
 * How one table is synced: where it is read from and how, the topic that names its records (no Kafka is
 * involved: the topic is the sink's name for the table's stream), and where its files go.
 *
 * @param columns the columns read (after columns:)
 * @param valueSchema the Connect schema of its records
 * @param directory the table's directory under the output (the sink's table name)
 * @param partitionBy time directories, or null for none
 * @param partitionField the record field the time directories come from, or null for the time of writing
 */
public record TablePlan(TableId table, String topic, ReadPlan readPlan, TableDefinition columns, Schema valueSchema,
        String directory, SyncConfig.PartitionBy partitionBy, String partitionField) {

    /** The key of the sink instance this table's records go to: one per distinct partitioning. */
    public String sinkGroup() {
        return partitionBy == null ? "none" : partitionBy.name() + ":" + (partitionField == null ? "" : partitionField);
    }
}
