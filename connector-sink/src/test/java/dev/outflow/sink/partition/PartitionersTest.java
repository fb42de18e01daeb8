package dev.outflow.sink.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import dev.outflow.sink.config.ParquetSinkConfig;

class PartitionersTest {

    private static final Schema ADDRESS = SchemaBuilder.struct().name("Address")
            .field("country", SchemaBuilder.string().optional().build()).optional().build();
    private static final Schema ROW = SchemaBuilder.struct().name("Row")
            .field("region", SchemaBuilder.string().optional().build())
            .field("at", SchemaBuilder.int64().name("dev.outflow.time.TimestampMicros").optional().build())
            .field("local_at", SchemaBuilder.int64().name("dev.outflow.time.LocalTimestampMicros").optional().build())
            .field("ts", Timestamp.builder().optional().build())
            .field("iso", SchemaBuilder.string().optional().build())
            .field("address", ADDRESS)
            .build();

    private static SinkRecord record(Struct value, Long timestamp) {
        return new SinkRecord("pg.public.orders", 2, null, null, ROW, value, 7, timestamp,
                TimestampType.CREATE_TIME);
    }

    private static Struct row(String region) {
        return new Struct(ROW).put("region", region);
    }

    @Test
    void hostileFieldValuesStayOneSafeSegment() {
        FieldPartitioner p = new FieldPartitioner(List.of("region"));
        Map<String, String> expected = new HashMap<>();
        expected.put("../../etc", "region=..%2F..%2Fetc");
        expected.put("a/b", "region=a%2Fb");
        expected.put("100%", "region=100%25");
        expected.put("k=v", "region=k%3Dv");
        expected.put("Zürich 東京", "region=Zürich 東京");
        expected.put("", "region=" + PathValues.NULL_VALUE);
        expected.put(null, "region=" + PathValues.NULL_VALUE);
        expected.put("tab\there", "region=tab%09here");
        expected.forEach((value, path) -> assertEquals(path, p.encodePartition(record(row(value), null)), value));
        for (String value : expected.keySet()) {
            String path = p.encodePartition(record(row(value), null));
            assertFalse(path.contains("/"), path);
            Path resolved = Path.of("/lake").resolve(path).normalize();
            assertTrue(resolved.startsWith("/lake") && resolved.getNameCount() == 2, path);
        }
    }

    @Test
    void veryLongValuesAreCutToAValidUniqueSegment() {
        FieldPartitioner p = new FieldPartitioner(List.of("region"));
        String a = p.encodePartition(record(row("é".repeat(300) + "a"), null));
        String b = p.encodePartition(record(row("é".repeat(300) + "b"), null));
        assertTrue(a.getBytes(StandardCharsets.UTF_8).length <= PathValues.MAX_SEGMENT_BYTES, a);
        assertFalse(a.equals(b));
        assertEquals(a, new String(a.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertTrue(a.startsWith("region=éé"), a);
    }

    @Test
    void nestedFieldsAndMissingFields() {
        Struct value = row("eu").put("address", new Struct(ADDRESS).put("country", "DE"));
        assertEquals("region=eu/country=DE",
                new FieldPartitioner(List.of("region", "address.country")).encodePartition(record(value, null)));
        assertEquals("country=" + PathValues.NULL_VALUE,
                new FieldPartitioner(List.of("address.country")).encodePartition(record(row("eu"), null)));
        DataException e = assertThrows(DataException.class,
                () -> new FieldPartitioner(List.of("nope")).encodePartition(record(row("eu"), null)));
        assertTrue(e.getMessage().contains("\"nope\"") && e.getMessage().contains("partition.field.name"));
    }

    private static TimePartitioner time(TimePartitioner.Granularity g, TimePartitioner.Extractor e, String field,
            String zone) {
        return new TimePartitioner(g, e, field, ZoneId.of(zone), () -> 0L);
    }

    @Test
    void timeFromTheRecordTimestampInAZone() {
        long t = java.time.Instant.parse("2026-02-11T23:30:00Z").toEpochMilli();
        assertEquals("year=2026/month=02/day=11", time(TimePartitioner.Granularity.DAY,
                TimePartitioner.Extractor.RECORD, null, "UTC").encodePartition(record(row("x"), t)));
        assertEquals("year=2026/month=02/day=12/hour=00", time(TimePartitioner.Granularity.HOUR,
                TimePartitioner.Extractor.RECORD, null, "Europe/Berlin").encodePartition(record(row("x"), t)));
        assertEquals("year=2026/month=02", time(TimePartitioner.Granularity.MONTH,
                TimePartitioner.Extractor.RECORD, null, "UTC").encodePartition(record(row("x"), t)));
        assertEquals("year=2026", time(TimePartitioner.Granularity.YEAR,
                TimePartitioner.Extractor.RECORD, null, "UTC").encodePartition(record(row("x"), t)));
        DataException e = assertThrows(DataException.class, () -> time(TimePartitioner.Granularity.DAY,
                TimePartitioner.Extractor.RECORD, null, "UTC").encodePartition(record(row("x"), null)));
        assertTrue(e.getMessage().contains("timestamp.extractor"));
    }

    @Test
    void timeFromFieldsOfEveryTimeShape() {
        long micros = java.time.Instant.parse("2026-02-11T08:15:30.123456Z").toEpochMilli() * 1000 + 456;
        Struct value = row("x").put("at", micros).put("local_at", micros)
                .put("ts", new java.util.Date(micros / 1000)).put("iso", "2026-02-11T08:15:30Z");
        for (String field : List.of("at", "ts", "iso")) {
            assertEquals("year=2026/month=02/day=11/hour=08", time(TimePartitioner.Granularity.HOUR,
                    TimePartitioner.Extractor.RECORDFIELD, field, "UTC").encodePartition(record(value, null)), field);
        }
        // An instant moves with the zone; a local timestamp keeps its own wall-clock date.
        assertEquals("year=2026/month=02/day=11/hour=03", time(TimePartitioner.Granularity.HOUR,
                TimePartitioner.Extractor.RECORDFIELD, "at", "America/New_York").encodePartition(record(value, null)));
        assertEquals("year=2026/month=02/day=11/hour=08", time(TimePartitioner.Granularity.HOUR,
                TimePartitioner.Extractor.RECORDFIELD, "local_at", "America/New_York")
                .encodePartition(record(value, null)));
        assertThrows(DataException.class, () -> time(TimePartitioner.Granularity.DAY,
                TimePartitioner.Extractor.RECORDFIELD, "region", "UTC").encodePartition(record(value, null)));
        assertThrows(DataException.class, () -> time(TimePartitioner.Granularity.DAY,
                TimePartitioner.Extractor.RECORDFIELD, "at", "UTC").encodePartition(record(row("x"), null)));
    }

    private static ParquetSinkConfig config(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(extra);
        props.put("local.dir", "/tmp/x");
        return new ParquetSinkConfig(props);
    }

    @Test
    void factoryBuildsEachPartitionerAndAcceptsConfluentNames() {
        long t = java.time.Instant.parse("2026-02-11T08:00:00Z").toEpochMilli();
        SinkRecord r = record(row("eu"), t);
        assertEquals("partition=2", Partitioners.create(config(Map.of())).encodePartition(r));
        assertEquals("", Partitioners.create(config(Map.of("partitioner.class", "none"))).encodePartition(r));
        assertEquals("region=eu", Partitioners.create(config(Map.of("partitioner.class", "field",
                "partition.field.name", "region"))).encodePartition(r));
        assertEquals("region=eu/year=2026/month=02/day=11", Partitioners.create(config(Map.of(
                "partitioner.class", "field_time", "partition.field.name", "region"))).encodePartition(r));
        assertEquals("year=2026/month=02/day=11/hour=08", Partitioners.create(config(Map.of("partitioner.class",
                "io.confluent.connect.storage.partitioner.HourlyPartitioner"))).encodePartition(r));
        assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> Partitioners.create(config(Map.of("partitioner.class", "field"))));
        assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> config(Map.of("partitioner.class", "com.example.Nope")));
    }

    @Test
    void tableNamesComeFromTheTopic() {
        TableNames names = new TableNames(Pattern.compile("pg\\.[^.]+\\.(.*)"), "$1");
        assertEquals("orders", names.tableFor("pg.public.orders"));
        assertEquals("other-topic", names.tableFor("other-topic"));
        assertEquals("pg.public.orders", new TableNames(Pattern.compile("(.*)"), "$1").tableFor("pg.public.orders"));
        assertThrows(ConnectException.class,
                () -> new TableNames(Pattern.compile("pg\\.(.*)"), "..").tableFor("pg.x"));
    }
}
