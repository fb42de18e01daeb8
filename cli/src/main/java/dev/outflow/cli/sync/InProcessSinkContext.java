package dev.outflow.cli.sync;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * What Connect gives a sink task, in-process. The offsets the task asks to be sent back to (its recovery at
 * {@code open()}, a rewind after a failed write) are collected for the engine to act on: it re-reads the
 * source from the matching position. There is no errant record reporter: a record the sink cannot write fails
 * the sync, as with Connect's default errors.tolerance=none.
 */
final class InProcessSinkContext implements SinkTaskContext {

    private final Map<String, String> configs;
    private final Set<TopicPartition> assignment;
    private final Map<TopicPartition, Long> requested = new HashMap<>();

    InProcessSinkContext(Map<String, String> configs, Set<TopicPartition> assignment) {
        this.configs = configs;
        this.assignment = assignment;
    }

    /** The offsets asked for since the last call, and forgets them. */
    Map<TopicPartition, Long> takeRequestedOffsets() {
        Map<TopicPartition, Long> taken = Map.copyOf(requested);
        requested.clear();
        return taken;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        requested.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        requested.put(tp, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
        // put() is retried by the engine after its own backoff
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {
        // the engine never has more records in hand than one page
    }

    @Override
    public void resume(TopicPartition... partitions) {
    }

    @Override
    public void requestCommit() {
        // the engine commits after every put anyway
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
