package dev.outflow.sink.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.outflow.sink.format.AvroSchemas;
import dev.outflow.sink.partition.FileNaming;
import dev.outflow.sink.partition.KafkaPartitioner;
import dev.outflow.sink.storage.InterceptingStorage;
import dev.outflow.sink.storage.LocalStorage;
import dev.outflow.sink.storage.Storage;

class TableRecoveryTest {

    private static final Schema VALUE = SchemaBuilder.struct().name("Value")
            .field("id", SchemaBuilder.int64().build()).build();
    private static final FileNaming NAMING = new FileNaming("topics", 10, "snappy");

    @TempDir
    Path root;

    @Test
    void oneListingPerTableServesEveryPartitionAndOnlyOwnLeftoversGo() throws Exception {
        LocalStorage local = new LocalStorage(root);
        // An earlier attempt: orders partitions 0-5 and items 0-1 published 10 records per partition number + 1,
        // and left an unpublished file each; partition 7 of orders belongs to another task and is mid-write.
        List<TopicPartitionWriter> earlier = new ArrayList<>();
        for (int p = 0; p <= 7; p++) {
            if (p != 6) {
                earlier.add(writeAndLeaveOpen(local, "orders", p, p == 7 ? 0 : 10 * (p + 1)));
            }
        }
        for (int p = 0; p <= 1; p++) {
            earlier.add(writeAndLeaveOpen(local, "items", p, 10 * (p + 1)));
        }
        assertEquals(9, pendingFiles().size());

        CountingStorage counting = new CountingStorage(local);
        List<TopicPartitionWriter> assigned = new ArrayList<>();
        for (int p = 0; p <= 5; p++) {
            assigned.add(writer(counting, "orders", p));
        }
        assigned.add(writer(counting, "items", 0));
        assigned.add(writer(counting, "items", 1));
        List<TopicPartition> failed = new ArrayList<>();
        Map<TopicPartition, OptionalLong> resume = TableRecovery.recover(counting, NAMING, assigned,
                (tp, e) -> failed.add(tp));

        assertEquals(List.of(), failed);
        assertEquals(Map.of("topics/orders/", 1, "topics/items/", 1), counting.lists);
        assertEquals(Map.of("topics/orders/", 1, "topics/items/", 1), counting.discards);
        for (int p = 0; p <= 5; p++) {
            assertEquals(OptionalLong.of(10L * (p + 1)), resume.get(new TopicPartition("orders", p)), "orders-" + p);
        }
        assertEquals(OptionalLong.of(10), resume.get(new TopicPartition("items", 0)));
        assertEquals(OptionalLong.of(20), resume.get(new TopicPartition("items", 1)));
        assertTrue(assigned.stream().allMatch(TopicPartitionWriter::recovered));
        // Only the leftover of the partition this task does not own is still there.
        List<String> left = pendingFiles();
        assertEquals(1, left.size(), left::toString);
        assertTrue(left.get(0).startsWith(".orders+7+"), left::toString);
        earlier.forEach(TopicPartitionWriter::close);
    }

    @Test
    void aTableThatCannotBeListedLeavesItsPartitionsToRecoverLater() throws Exception {
        LocalStorage local = new LocalStorage(root);
        writeAndLeaveOpen(local, "items", 0, 10).close();
        Storage broken = new InterceptingStorage(local) {
            @Override
            public List<String> list(String prefix) throws IOException {
                if (prefix.contains("orders")) {
                    throw new IOException("connection reset");
                }
                return super.list(prefix);
            }
        };
        List<TopicPartitionWriter> assigned = List.of(writer(broken, "orders", 0), writer(broken, "orders", 1),
                writer(broken, "items", 0));
        List<TopicPartition> failed = new ArrayList<>();
        Map<TopicPartition, OptionalLong> resume = TableRecovery.recover(broken, NAMING, assigned,
                (tp, e) -> failed.add(tp));

        assertEquals(List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1)), failed);
        assertEquals(Map.of(new TopicPartition("items", 0), OptionalLong.of(10)), resume);
        assertEquals(List.of(false, false, true), assigned.stream().map(TopicPartitionWriter::recovered).toList());
    }

    private TopicPartitionWriter writer(Storage storage, String table, int partition) {
        return new TopicPartitionWriter(new TopicPartition(table, partition), table, storage, NAMING,
                new KafkaPartitioner(), new AvroSchemas(), new WriterSettings(CompressionCodecName.SNAPPY, 1 << 20,
                        64 << 10, 10, Long.MAX_VALUE, -1, -1));
    }

    /** Publishes {@code published} records (flush.size 10), then writes 3 more into a file left unpublished. */
    private TopicPartitionWriter writeAndLeaveOpen(Storage storage, String table, int partition, int published)
            throws IOException {
        TopicPartitionWriter w = writer(storage, table, partition);
        w.recover();
        for (long o = 0; o < published + 3; o++) {
            w.write(new SinkRecord(table, partition, null, null, VALUE, new Struct(VALUE).put("id", o), o), 0);
        }
        return w;
    }

    private List<String> pendingFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    /** Counts listings and leftover sweeps by prefix. */
    private static final class CountingStorage extends InterceptingStorage {
        final Map<String, Integer> lists = new TreeMap<>();
        final Map<String, Integer> discards = new TreeMap<>();

        CountingStorage(Storage delegate) {
            super(delegate);
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            lists.merge(prefix, 1, Integer::sum);
            return super.list(prefix);
        }

        @Override
        public int discardPending(String prefix, Collection<String> fileNamePrefixes) throws IOException {
            discards.merge(prefix, 1, Integer::sum);
            return super.discardPending(prefix, fileNamePrefixes);
        }
    }
}
