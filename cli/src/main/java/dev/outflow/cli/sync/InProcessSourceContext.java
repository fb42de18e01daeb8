package dev.outflow.cli.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/** What Connect gives a source task, in-process: its keys and the start positions (from the state directory). */
final class InProcessSourceContext implements SourceTaskContext {

    private final Map<String, String> configs;
    private final Map<Map<String, ?>, Map<String, Object>> positions;

    /** @param positions the source offset to resume after, by source partition ({"schema", "table"}) */
    InProcessSourceContext(Map<String, String> configs, Map<Map<String, ?>, Map<String, Object>> positions) {
        this.configs = configs;
        this.positions = positions;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return positions.get(partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> found = new HashMap<>();
                for (Map<String, T> p : partitions) {
                    Map<String, Object> offset = positions.get(p);
                    if (offset != null) {
                        found.put(p, offset);
                    }
                }
                return found;
            }
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null; // no metrics registry without a worker; our tasks do not use one
    }
}
