package dev.outflow.sink.task;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

import dev.outflow.sink.partition.FileNaming;
import dev.outflow.sink.storage.Storage;

/**
 * Recovers newly assigned partitions a table at a time: one sweep of the table's unpublished leftovers and one
 * listing of its published files serve all of the task's partitions of that table. Per partition, a rebalance
 * would list the same prefix once for every partition: on S3, with a big table and many partitions, that is many
 * paged LIST calls for the same keys at every rebalance.
 */
final class TableRecovery {

    private TableRecovery() {
    }

    /**
     * Recovers {@code writers}. Returns where each recovered partition resumes (empty: from the committed offset);
     * a partition missing from the result could not be recovered now, and {@code onFailure} was told why (its
     * writer recovers on its own before its first record is written).
     */
    static Map<TopicPartition, OptionalLong> recover(Storage storage, FileNaming naming,
            Collection<TopicPartitionWriter> writers, BiConsumer<TopicPartition, Exception> onFailure) {
        Map<TopicPartition, OptionalLong> resumePoints = new LinkedHashMap<>();
        Map<String, List<TopicPartitionWriter>> byTable = writers.stream()
                .collect(Collectors.groupingBy(TopicPartitionWriter::table, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<TopicPartitionWriter>> table : byTable.entrySet()) {
            List<TopicPartitionWriter> partitions = table.getValue();
            String prefix = naming.tablePrefix(table.getKey());
            List<String> keys;
            try {
                storage.discardPending(prefix, partitions.stream().map(TopicPartitionWriter::fileNamePrefix).toList());
                keys = storage.list(prefix);
            } catch (IOException | RuntimeException e) {
                partitions.forEach(w -> onFailure.accept(w.topicPartition(), e));
                continue;
            }
            for (TopicPartitionWriter writer : partitions) {
                try {
                    resumePoints.put(writer.topicPartition(), writer.recover(keys));
                } catch (IOException | RuntimeException e) {
                    onFailure.accept(writer.topicPartition(), e);
                }
            }
        }
        return resumePoints;
    }
}
