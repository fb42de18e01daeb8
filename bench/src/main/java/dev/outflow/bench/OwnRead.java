package dev.outflow.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.OffsetStorageReader;

import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.PostgresSourceConfig;
import dev.outflow.source.task.PostgresSourceTask;
import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.PostgresServer;

/**
 * The source task polled directly, in this thread, with no worker and no Kafka: how fast the connector itself
 * reads (PostgreSQL, pgjdbc, building Connect records), and then the same with the worker's Avro converter applied
 * to every key and value. Next to the worker runs, these rows show where the time goes.
 */
final class OwnRead {

    private OwnRead() {
    }

    static void report(PostgresServer pg, String table, int rows, double ceiling) throws Exception {
        poll(pg, table, rows, null); // warm-up
        print("the connector's own read: task.poll() in a loop, no worker, no Kafka, no converter", pg, table, rows,
                ceiling, null);
    }

    static void reportWithConverter(PostgresServer pg, String table, int rows, double ceiling, ConnectCluster connect)
            throws Exception {
        print("task.poll() plus the worker's Avro converter on key and value, no Kafka", pg, table, rows, ceiling,
                connect);
    }

    private static void print(String what, PostgresServer pg, String table, int rows, double ceiling,
            ConnectCluster connect) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        poll(pg, table, rows, connect);
        double rate = rows / ((System.nanoTime() - start) / 1e9);
        double cpuMicros = (mx.getCurrentThreadCpuTime() - cpu) / 1e3 / rows;
        System.out.printf("| %s | %,.0f rows/s | %.0f%% of COPY | %.2f µs/row | load %s |%n", what, rate,
                100 * rate / ceiling, cpuMicros, TaskThreads.load());
    }

    private static void poll(PostgresServer pg, String table, int rows, ConnectCluster connect) throws Exception {
        Map<String, String> props = new java.util.HashMap<>(ExampleConfig.load("source-postgres.json")
                .with("connection.url", pg.jdbcUrl())
                .with("connection.user", pg.user())
                .with("connection.password", pg.password())
                .with("table.include.list", "public\\." + table)
                .with("topic.prefix", "own.")
                .with("mode", "incrementing")
                .config());
        props.put(PostgresSourceConfig.TASK_TABLES, TableId.encodeAll(List.of(new TableId("public", table))));
        Converter keys = connect == null ? null : connect.avroConverter(true);
        Converter values = connect == null ? null : connect.avroConverter(false);
        PostgresSourceTask task = new PostgresSourceTask();
        task.initialize(new NoOffsets(props));
        task.start(props);
        try {
            long seen = 0;
            while (seen < rows) {
                List<SourceRecord> batch = task.poll();
                if (batch == null) {
                    continue;
                }
                for (SourceRecord r : batch) {
                    if (keys != null) {
                        keys.fromConnectData(r.topic(), r.keySchema(), r.key());
                        values.fromConnectData(r.topic(), r.valueSchema(), r.value());
                    }
                }
                seen += batch.size();
            }
        } finally {
            task.stop();
        }
    }

    /** A task context for a first start: no stored offsets. */
    private record NoOffsets(Map<String, String> configs) implements SourceTaskContext {
        @Override
        public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
            throw new UnsupportedOperationException("no metrics outside a worker");
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    return null;
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    return Map.of();
                }
            };
        }
    }
}
