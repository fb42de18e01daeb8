package dev.outflow.bench;

import java.io.OutputStream;
import java.sql.Connection;
import java.time.Duration;
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
            System.out.printf("| `COPY %s TO STDOUT` (pgjdbc CopyManager, ceiling) | %,.0f rows/s | |%n", TABLE,
                    ceiling);

            try (SchemaRegistryServer registry = SchemaRegistryServer.start();
                    ConnectCluster connect = ConnectCluster.start(registry)) {
                int run = 0;
                for (String[] variant : new String[][] {
                        {"incrementing", "1000"}, {"incrementing", "10000"}}) {
                    String mode = variant[0];
                    String batch = variant[1];
                    String prefix = "bench" + (++run) + ".";
                    Map<String, String> config = ExampleConfig.load("source-postgres.json")
                            .with("connection.url", pg.jdbcUrl())
                            .with("connection.user", pg.user())
                            .with("connection.password", pg.password())
                            .with("table.include.list", "public\\." + TABLE)
                            .with("topic.prefix", prefix)
                            .with("mode", mode)
                            .with("timestamp.column.name", "updated_at")
                            .with("batch.max.rows", batch)
                            .config();
                    String topic = prefix + "public." + TABLE;
                    long start = System.nanoTime();
                    connect.configureConnector("bench-source-" + run, config);
                    awaitEndOffset(connect, topic, rows, Duration.ofMinutes(20));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    connect.deleteConnector("bench-source-" + run);
                    double rate = rows / seconds;
                    System.out.printf("| source, mode=%s, batch.max.rows=%s, 1 task, Avro | %,.0f rows/s | %.0f%% of "
                            + "COPY |%n", mode, batch, rate, 100 * rate / ceiling);
                }
            }
        }
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

    private static void awaitEndOffset(ConnectCluster connect, String topic, long rows, Duration timeout)
            throws Exception {
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
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("only " + seen + " of " + rows + " rows reached " + topic + " in time");
    }
}
