package dev.outflow.bench;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.PGConnection;

import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.PostgresServer;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * PostgreSQL -> Kafka throughput of the source through a real worker and the real Avro converter, next to
 * {@code COPY bench_orders TO STDOUT} on the same table (the ceiling: PostgreSQL sending the rows as text, with
 * no conversion and no Kafka). Arguments: [rows] (default 1,000,000). The table is the 11-column
 * {@code bench_orders} of {@link BenchRows}, filled in SQL. A run ends when the topic's end offset holds every row.
 * Prints one Markdown table row per measurement; docs/benchmarks.md records them with the command.
 */
public final class SourceBenchmark {

    private static final String TABLE = "bench_orders";

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim()) : 1_000_000;
        System.out.printf("rows=%d cores=%d max-heap=%d MiB%n", rows, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        try (PostgresServer pg = PostgresServer.start()) {
            long t0 = System.nanoTime();
            fill(pg, rows);
            System.out.printf("filled %s in %.1f s%n", TABLE, (System.nanoTime() - t0) / 1e9);

            copyRowsPerSecond(pg); // warm-up: table into the page cache, JIT
            double ceiling = copyRowsPerSecond(pg) * rows;
            System.out.printf("| `COPY %s TO STDOUT` (pgjdbc CopyManager, ceiling) | %,.0f rows/s | | | load %s |%n",
                    TABLE, ceiling, TaskThreads.load());

            OwnRead.report(pg, TABLE, rows, ceiling); // the connector's own read, no worker and no Kafka

            try (SchemaRegistryServer registry = SchemaRegistryServer.start();
                    ConnectCluster connect = ConnectCluster.start(registry)) {
                OwnRead.reportWithConverter(pg, TABLE, rows, ceiling, connect);
                Map<String, String> producerOverrides = Map.of(
                        "producer.override.linger.ms", "20",
                        "producer.override.batch.size", "524288",
                        "producer.override.compression.type", "lz4");
                String firstTopic = null;
                int run = 0;
                for (Variant variant : List.of(
                        new Variant("batch.max.rows=1000 (default)", "1000", Map.of(), false),
                        new Variant("batch.max.rows=10000", "10000", Map.of(), false),
                        new Variant("batch.max.rows=10000, producer linger.ms=20, batch.size=512 KiB, lz4", "10000",
                                producerOverrides, false),
                        new Variant("as above, schemas registered beforehand (converter auto-register=false, "
                                + "find-latest=true)", "10000", producerOverrides, true))) {
                    String prefix = "bench" + (++run) + ".";
                    String topic = prefix + "public." + TABLE;
                    Map<String, String> config = new HashMap<>(ExampleConfig.load("source-postgres.json")
                            .with("connection.url", pg.jdbcUrl())
                            .with("connection.user", pg.user())
                            .with("connection.password", pg.password())
                            .with("table.include.list", "public\\." + TABLE)
                            .with("topic.prefix", prefix)
                            .with("mode", "incrementing")
                            .with("batch.max.rows", variant.batch())
                            .config());
                    config.putAll(variant.overrides());
                    if (variant.preRegistered()) {
                        copySchemas(connect.registry(), firstTopic, topic);
                        config.putAll(findLatestConverters(connect.registry()));
                    }
                    TaskThreads task = new TaskThreads("PostgresSourceTask.poll");
                    long start = System.nanoTime();
                    connect.configureConnector("bench-source-" + run, config);
                    awaitEndOffset(connect, topic, rows, Duration.ofMinutes(20), task);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double cpuMicros = task.cpuNanos() / 1e3 / rows;
                    connect.deleteConnector("bench-source-" + run);
                    double rate = rows / seconds;
                    System.out.printf("| source, 1 task, Avro, %s | %,.0f rows/s | %.0f%% of COPY | %.2f µs/row | "
                            + "load %s |%n", variant.name(), rate, 100 * rate / ceiling, cpuMicros, TaskThreads.load());
                    firstTopic = firstTopic == null ? topic : firstTopic;
                }
            }
        }
    }

    private record Variant(String name, String batch, Map<String, String> overrides, boolean preRegistered) {
    }

    /**
     * Registers, under the artifacts of {@code to}, the key and value schemas the first run registered for
     * {@code from}: what a deployment that registers its schemas ahead (from CI) has.
     */
    private static void copySchemas(SchemaRegistryServer registry, String from, String to) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String part : List.of("key", "value")) {
            String base = registry.url() + "/apis/registry/v2/groups/default/artifacts";
            HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(base + "/" + from + "-" + part))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (got.statusCode() != 200) {
                throw new IllegalStateException("registry: GET " + from + "-" + part + " -> " + got.statusCode()
                        + " " + got.body());
            }
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Content-Type", "application/json")
                    .header("X-Registry-ArtifactId", to + "-" + part)
                    .header("X-Registry-ArtifactType", "AVRO")
                    .POST(HttpRequest.BodyPublishers.ofString(got.body())).build(), HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() != 200) {
                throw new IllegalStateException("registry: POST " + to + "-" + part + " -> " + put.statusCode() + " "
                        + put.body());
            }
        }
    }

    /** Connector-level converters like the worker's, but looking schemas up instead of registering them. */
    private static Map<String, String> findLatestConverters(SchemaRegistryServer registry) {
        Map<String, String> out = new HashMap<>();
        for (String side : List.of("key.converter", "value.converter")) {
            out.put(side, ConnectCluster.AVRO_CONVERTER);
            ConnectCluster.converterProps(registry).forEach((k, v) -> out.put(side + "." + k, v));
            out.put(side + ".apicurio.registry.auto-register", "false");
            out.put(side + ".apicurio.registry.find-latest", "true");
        }
        return out;
    }

    /** The 11 columns of {@link BenchRows}: 30% NULL discounts, five statuses, ~40-character notes. */
    private static void fill(PostgresServer pg, int rows) {
        pg.execute("CREATE TABLE public." + TABLE + " (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, "
                        + "customer_id int NOT NULL, amount numeric(12,2) NOT NULL, status text NOT NULL, note text, "
                        + "is_paid bool NOT NULL, order_date date NOT NULL, ext_id uuid NOT NULL, attrs jsonb, "
                        + "discount numeric(5,2))",
                "INSERT INTO public." + TABLE + " SELECT i, timestamptz '2026-02-11 08:00:00+00' + i * interval "
                        + "'1.000003 second', (random() * 100000)::int, round((random() * 100000)::numeric, 2), "
                        + "(ARRAY['new','paid','shipped','delivered','cancelled'])[i % 5 + 1], "
                        + "'order note ' || substr(md5(i::text), 1, 16) || ' lorem ipsum dolor', random() < 0.5, "
                        + "date '2024-10-04' + (i % 400), gen_random_uuid(), "
                        + "jsonb_build_object('channel', 'web', 'items', 1 + i % 7), "
                        + "CASE WHEN random() < 0.3 THEN NULL ELSE round((random() * 99)::numeric, 2) END "
                        + "FROM generate_series(1, " + rows + ") i",
                "CREATE INDEX ON public." + TABLE + " (updated_at, id)",
                "VACUUM ANALYZE public." + TABLE);
    }

    /** 1 / seconds of one COPY of the whole table into a discarding stream (multiply by the rows for rows/s). */
    private static double copyRowsPerSecond(PostgresServer pg) throws Exception {
        try (Connection conn = pg.connect()) {
            AtomicLong bytes = new AtomicLong();
            OutputStream sink = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.addAndGet(len);
                }
            };
            long start = System.nanoTime();
            conn.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY public." + TABLE + " TO STDOUT", sink);
            return 1 / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void awaitEndOffset(ConnectCluster connect, String topic, long rows, Duration timeout,
            TaskThreads task) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        try (Admin admin = connect.connect().kafka().createAdminClient()) {
            while (System.nanoTime() < deadline) {
                if (admin.listTopics().names().get().contains(topic)) {
                    seen = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition)
                            .offset();
                    if (seen >= rows) {
                        return;
                    }
                }
                task.sample();
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("only " + seen + " of " + rows + " rows reached " + topic + " in time");
    }
}
