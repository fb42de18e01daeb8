package dev.outflow.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.storage.Converter;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

import dev.outflow.sink.format.AvroSchemas;
import dev.outflow.sink.format.ParquetRecordWriter;
import dev.outflow.sink.format.RecordConverter;
import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.DuckDb;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.S3Server;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * Topic -> Parquet throughput of the sink through a real worker and the real Avro converter, next to the raw
 * parquet-avro writer on the same rows in one thread (the ceiling). Arguments: [rows] (default 1,000,000).
 * Prints one Markdown table row per measurement; docs/benchmarks.md records them with the command.
 */
public final class SinkBenchmark {

    private static final String TOPIC = "pg.public.bench_orders";

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim()) : 1_000_000;
        Path work = Files.createTempDirectory("outflow-bench");
        System.out.printf("rows=%d cores=%d max-heap=%d MiB%n", rows, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        rawWriter(Math.max(rows / 5, 10_000), 10_000, work.resolve("warmup.parquet")); // JIT warm-up
        Ceiling cycled = rawWriter(rows, 10_000, work.resolve("raw-cycled.parquet"));
        System.out.printf("| raw parquet-avro writer, 1 thread, 10,000 distinct rows cycled | %,.0f rows/s | | | "
                + "%.2f µs/row | load %s |%n", cycled.rowsPerSecond(), cycled.cpuMicrosPerRow(), TaskThreads.load());
        // The sink writes distinct rows: dictionaries overflow and fall back to plain encoding, as they do here.
        Ceiling distinct = rawWriter(rows, Math.min(rows, 100_000), work.resolve("raw.parquet"));
        double ceiling = distinct.rowsPerSecond();
        double ceilingCpuMicros = distinct.cpuMicrosPerRow();
        System.out.printf("| raw parquet-avro writer, 1 thread, 100,000 distinct rows cycled (ceiling) | %,.0f rows/s "
                + "| | | %.2f µs/row | load %s |%n", ceiling, ceilingCpuMicros, TaskThreads.load());
        ownWrite(Math.max(rows / 5, 10_000), work.resolve("warmup-own")); // JIT warm-up
        Ceiling own = ownWrite(rows, work.resolve("own"));
        System.out.printf("| the sink's own write: Connect struct -> RecordConverter -> ParquetRecordWriter, 1 thread, "
                + "no Kafka | %,.0f rows/s | %.0f%% of ceiling | | %.2f µs/row | load %s |%n", own.rowsPerSecond(),
                100 * own.rowsPerSecond() / ceiling, own.cpuMicrosPerRow(), TaskThreads.load());
        // flush.size: every row is published by count, none waits for the rotation timer.
        String flushSize = Integer.toString(Math.max(1, rows / 4));

        try (SchemaRegistryServer registry = SchemaRegistryServer.start();
                ConnectCluster connect = ConnectCluster.start(registry)) {
            connect.createTopic(TOPIC, 1);
            long t0 = System.nanoTime();
            fill(connect, TOPIC, ConnectCluster.avroConverter(registry, false), rows);
            System.out.printf("filled topic in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            warmUp(connect, work.resolve("warmup-lake"), Math.max(rows / 5, 10_000));

            Path lake = work.resolve("lake");
            Map<String, String> config = ExampleConfig.load("sink-local.json")
                    .with("local.dir", lake.toString())
                    .with("topics.regex", TOPIC.replace(".", "\\."))
                    .with("flush.size", flushSize)
                    .with("rotate.schedule.interval.ms", "5000")
                    .config();
            measureLocal(connect, "bench-sink", config, lake, rows, "sink, local disk, 1 task", ceiling,
                    ceilingCpuMicros);

            // The same with bigger consumer fetches: fewer, larger put() calls.
            Path lake2 = work.resolve("lake2");
            Map<String, String> bigPolls = new java.util.HashMap<>(config);
            bigPolls.put("local.dir", lake2.toString());
            bigPolls.put("consumer.override.max.poll.records", "2000");
            bigPolls.put("consumer.override.max.partition.fetch.bytes", Integer.toString(4 << 20));
            measureLocal(connect, "bench-sink-big-polls", bigPolls, lake2, rows,
                    "sink, local disk, 1 task, consumer max.poll.records=2000, max.partition.fetch.bytes=4 MiB",
                    ceiling, ceilingCpuMicros);

            try (S3Server s3 = S3Server.start()) {
                s3.createBucket("bench");
                Map<String, String> s3Config = ExampleConfig.load("sink-s3.json")
                        .with("topics.regex", TOPIC.replace(".", "\\."))
                        .with("s3.bucket.name", "bench")
                        .with("s3.region", s3.region())
                        .with("store.url", s3.endpoint().toString())
                        .with("aws.access.key.id", s3.accessKey())
                        .with("aws.secret.access.key", s3.secretKey())
                        .with("s3.ssea.name", "")
                        .with("flush.size", flushSize)
                        .with("rotate.schedule.interval.ms", "5000")
                        .config();
                resetPeakHeap();
                TaskThreads s3Task = new TaskThreads("ParquetSinkTask.put");
                long s3Start = System.nanoTime();
                connect.configureConnector("bench-sink-s3", s3Config);
                awaitCommitted(connect, "connect-bench-sink-s3", rows, Duration.ofMinutes(20), s3Task);
                String s3Row = row("sink, S3 (S3Proxy in the same JVM), 1 task", rows, s3Start, s3Task, ceiling,
                        ceilingCpuMicros, "whole JVM: broker, worker, sink, S3Proxy");
                Path copy = s3.download("bench", "raw/topics/", work.resolve("s3-copy"));
                try (DuckDb duck = DuckDb.open()) {
                    long count = duck.queryLong("SELECT count(*) FROM read_parquet('" + copy + "/**/*.parquet')");
                    if (count != rows) {
                        throw new IllegalStateException("S3 holds " + count + " rows, expected " + rows);
                    }
                }
                System.out.println(s3Row);
            }
        }
    }

    /**
     * One unmeasured run of the sink on a smaller topic, so the measured runs do not pay for JIT compilation of the
     * task's code (the ceiling has its warm-up too).
     */
    private static void warmUp(ConnectCluster connect, Path lake, int rows) throws Exception {
        String topic = "warmup.bench_orders";
        connect.createTopic(topic, 1);
        fill(connect, topic, ConnectCluster.avroConverter(connect.registry(), false), rows);
        connect.configureConnector("bench-warmup", ExampleConfig.load("sink-local.json")
                .with("local.dir", lake.toString())
                .with("topics.regex", topic.replace(".", "\\."))
                .with("flush.size", Integer.toString(Math.max(1, rows / 4)))
                .config());
        try (DuckDb duck = DuckDb.open()) {
            awaitRows(duck, lake, rows, Duration.ofMinutes(20), new TaskThreads("ParquetSinkTask.put"));
        }
        connect.deleteConnector("bench-warmup");
    }

    /** One measured run of a sink connector writing to local disk, from its creation until DuckDB counts all rows. */
    private static void measureLocal(ConnectCluster connect, String name, Map<String, String> config, Path lake,
            int rows, String what, double ceiling, double ceilingCpuMicros) throws Exception {
        resetPeakHeap();
        TaskThreads task = new TaskThreads("ParquetSinkTask.put");
        long start = System.nanoTime();
        connect.configureConnector(name, config);
        try (DuckDb duck = DuckDb.open()) {
            awaitRows(duck, lake, rows, Duration.ofMinutes(20), task);
        }
        report(what, rows, start, task, ceiling, ceilingCpuMicros, "whole JVM: broker, worker, sink");
        connect.deleteConnector(name);
    }

    private static void report(String what, long rows, long start, TaskThreads task, double ceiling,
            double ceilingCpuMicros, String heapScope) {
        System.out.println(row(what, rows, start, task, ceiling, ceilingCpuMicros, heapScope));
    }

    /**
     * One table row: the rate from connector creation (start-up and the consumer group join included), the rate
     * from the first record the task was seen writing, the peak heap, and the task thread's CPU per row.
     */
    private static String row(String what, long rows, long start, TaskThreads task, double ceiling,
            double ceilingCpuMicros, String heapScope) {
        long end = System.nanoTime();
        double rate = rows / ((end - start) / 1e9);
        double fromFirst = rows / ((end - task.firstSeenInTaskNanos()) / 1e9);
        double cpuMicros = task.cpuNanos() / 1e3 / rows;
        return String.format("| %s | %,.0f rows/s (%,.0f rows/s after the first record) | %.0f%% of ceiling | "
                + "peak heap %d MiB (%s) | %.2f µs/row (%.0f%% of the ceiling's CPU rate) | load %s |", what, rate,
                fromFirst, 100 * rate / ceiling, peakHeapMiB(), heapScope, cpuMicros,
                100 * ceilingCpuMicros / cpuMicros, TaskThreads.load());
    }

    /** Waits until the sink's consumer group has committed every record (commits imply published files). */
    private static void awaitCommitted(ConnectCluster connect, String group, long rows, Duration timeout,
            TaskThreads task) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var admin = connect.connect().kafka().createAdminClient()) {
            while (System.nanoTime() < deadline) {
                long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                        .values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
                if (committed >= rows) {
                    return;
                }
                task.sample();
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the sink did not commit " + rows + " records in time");
    }

    private record Ceiling(double rowsPerSecond, double cpuMicrosPerRow) {
    }

    /**
     * The ceiling: {@code distinct} prebuilt Avro records, cycled, written by parquet-avro alone, one thread, with
     * the sink's settings (Snappy, UUID logical type, three-level lists, 64 MiB row groups). No Kafka, no
     * conversion (building the records is not timed).
     */
    private static Ceiling rawWriter(int rows, int distinct, Path file) throws Exception {
        RecordConverter converter = new AvroSchemas().converter(BenchRows.SCHEMA);
        org.apache.avro.Schema avro = converter.avroSchema();
        Random rnd = new Random(1);
        List<GenericData.Record> batch = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            batch.add(converter.convert(BenchRows.row(i, rnd)));
        }
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        conf.setBoolean(AvroWriteSupport.WRITE_PARQUET_UUID, true);
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try (ParquetWriter<GenericData.Record> writer = AvroParquetWriter.<GenericData.Record>builder(
                new LocalOutputFile(file)).withSchema(avro).withConf(conf).withDataModel(GenericData.get())
                .withCompressionCodec(CompressionCodecName.SNAPPY).withRowGroupSize(64L << 20)
                .withPageSize(1 << 20).build()) {
            for (int i = 0; i < rows; i++) {
                writer.write(batch.get(i % batch.size()));
            }
        }
        return new Ceiling(rows / ((System.nanoTime() - start) / 1e9),
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e3 / rows);
    }

    /**
     * What the sink task itself does per record, without Kafka, the worker or the Avro converter: the same 100,000
     * distinct Connect structs as the ceiling's rows (built untimed), cycled, converted by the sink's precompiled
     * {@link RecordConverter} and written by its {@link ParquetRecordWriter} (with the offset footer), a new file
     * every 250,000 records as in the worker runs below.
     */
    private static Ceiling ownWrite(int rows, Path dir) throws Exception {
        Files.createDirectories(dir);
        RecordConverter converter = new AvroSchemas().converter(BenchRows.SCHEMA);
        Random rnd = new Random(1);
        List<Struct> structs = new ArrayList<>();
        for (int i = 0; i < Math.min(rows, 100_000); i++) {
            structs.add(BenchRows.row(i, rnd));
        }
        int perFile = Math.max(1, rows / 4);
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long start = System.nanoTime();
        ParquetRecordWriter writer = null;
        for (int i = 0; i < rows; i++) {
            if (i % perFile == 0) {
                if (writer != null) {
                    writer.close();
                }
                writer = new ParquetRecordWriter(new LocalOutputFile(dir.resolve("own-" + i + ".parquet")),
                        converter.avroSchema(), CompressionCodecName.SNAPPY, 64 << 20, 1 << 20, TOPIC, 0, i);
            }
            writer.write(converter.convert(structs.get(i % structs.size())), i);
        }
        writer.close();
        return new Ceiling(rows / ((System.nanoTime() - start) / 1e9),
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e3 / rows);
    }

    private static void fill(ConnectCluster connect, String topic, Converter avro, int rows) {
        Random rnd = new Random(2);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, "20", ProducerConfig.BATCH_SIZE_CONFIG, "262144",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long id = 0; id < rows; id++) {
                producer.send(new ProducerRecord<>(topic, null, avro.fromConnectData(topic, BenchRows.SCHEMA,
                        BenchRows.row(id, rnd))));
            }
        }
    }

    private static void awaitRows(DuckDb duck, Path lake, long rows, Duration timeout, TaskThreads task)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        AtomicLong seen = new AtomicLong();
        while (System.nanoTime() < deadline) {
            try (var files = Files.walk(lake)) {
                if (files.anyMatch(p -> p.toString().endsWith(".parquet"))) {
                    seen.set(duck.queryLong("SELECT count(*) FROM read_parquet('" + lake + "/**/*.parquet')"));
                }
            } catch (java.io.IOException | RuntimeException e) {
                // the lake directory may not exist yet
            }
            if (seen.get() >= rows) {
                return;
            }
            task.sample();
            Thread.sleep(50);
        }
        throw new IllegalStateException("only " + seen.get() + " of " + rows + " rows arrived in time");
    }

    private static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }
}
