package dev.outflow.cli.sync;

import java.util.List;
import java.util.Map;

/**
 * Everything a sync needs, resolved against the database: the source task's keys, the tables, and the sink keys of
 * each group of tables sharing one partitioning.
 */
public record SyncPlan(Map<String, String> sourceProps, List<TablePlan> tables,
        Map<String, Map<String, String>> sinkPropsByGroup) {

    public TablePlan tableOfTopic(String topic) {
        return tables.stream().filter(t -> t.topic().equals(topic)).findFirst().orElse(null);
    }
}
