package dev.outflow.sink.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/**
 * The compiled {@link RecordConverter} against the reference per-value walk ({@link AvroValues}, with the size
 * estimate of {@link ValueSizes}): for every type the sink maps, both must give equal records and equal sizes.
 */
class RecordConverterTest {

    private static final Schema ADDRESS = SchemaBuilder.struct().name("pg.public.address").optional()
            .field("city", SchemaBuilder.string().optional().build())
            .field("zip", SchemaBuilder.int32().optional().build())
            .build();

    private static final Schema VARIABLE_DECIMAL = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal")
            .optional()
            .field("scale", Schema.INT32_SCHEMA)
            .field("value", Schema.BYTES_SCHEMA)
            .build();

    /** Every type the sink has a rule for, optional and not, nested in lists, maps and structs. */
    private static final Schema ROW = SchemaBuilder.struct().name("pg.public.everything.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field("i8", SchemaBuilder.int8().optional().build())
            .field("i16", SchemaBuilder.int16().optional().build())
            .field("i32", Schema.INT32_SCHEMA)
            .field("f32", SchemaBuilder.float32().optional().build())
            .field("f64", SchemaBuilder.float64().optional().build())
            .field("flag", SchemaBuilder.bool().optional().build())
            .field("text", SchemaBuilder.string().optional().build())
            .field("raw", SchemaBuilder.bytes().optional().build())
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "12").build())
            .field("loose", Decimal.builder(5).optional().build())
            .field("day", Date.builder().optional().build())
            .field("clock", Time.builder().optional().build())
            .field("at_ms", Timestamp.builder().optional().build())
            .field("at", SchemaBuilder.int64().name("dev.outflow.time.TimestampMicros").optional().build())
            .field("local_at", SchemaBuilder.int64().name("dev.outflow.time.LocalTimestampMicros").optional().build())
            .field("clock_us", SchemaBuilder.int64().name("dev.outflow.time.TimeMicros").optional().build())
            .field("ext_id", SchemaBuilder.string().name("dev.outflow.data.Uuid").optional().build())
            .field("dbz_day", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
            .field("dbz_nano", SchemaBuilder.int64().name("io.debezium.time.NanoTimestamp").optional().build())
            .field("dbz_nano_time", SchemaBuilder.int64().name("io.debezium.time.NanoTime").optional().build())
            .field("dbz_zoned", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
            .field("dbz_decimal", VARIABLE_DECIMAL)
            .field("tags", SchemaBuilder.array(SchemaBuilder.string().optional().build()).optional().build())
            .field("amounts", SchemaBuilder.array(Decimal.builder(3).optional().build()).optional().build())
            .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, SchemaBuilder.int64().optional().build())
                    .optional().build())
            .field("by_code", SchemaBuilder.map(Schema.INT32_SCHEMA, ADDRESS).optional().build())
            .field("home", ADDRESS)
            .field("homes", SchemaBuilder.array(ADDRESS).optional().build())
            .build();

    private final AvroSchemas schemas = new AvroSchemas();

    @Test
    void givesTheReferenceRecordAndSizeForEveryType() {
        RecordConverter converter = schemas.converter(ROW);
        Random rnd = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            Struct row = randomRow(rnd, i);
            GenericData.Record expected = AvroValues.toRecord(row, converter.avroSchema());
            GenericData.Record actual = converter.convert(row);
            assertEquals(expected, actual, "row " + i);
            assertEquals(expected.toString(), actual.toString(), "row " + i);
            assertEquals(ValueSizes.estimate(expected), converter.lastSizeBytes(), "size of row " + i);
        }
    }

    @Test
    void bytesArriveAsArraysOrBuffers() {
        RecordConverter converter = schemas.converter(ROW);
        Struct fromArray = randomRow(new Random(1), 1).put("raw", new byte[] {1, 2, 3});
        Struct fromBuffer = randomRow(new Random(1), 1).put("raw", ByteBuffer.wrap(new byte[] {9, 1, 2, 3}, 1, 3));
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), converter.convert(fromArray).get("raw"));
        assertEquals(AvroValues.toRecord(fromBuffer, converter.avroSchema()), converter.convert(fromBuffer));
    }

    @Test
    void nullInARequiredFieldIsRejectedLikeTheReference() {
        Schema schema = SchemaBuilder.struct().name("r").field("city", Schema.STRING_SCHEMA).build();
        RecordConverter converter = schemas.converter(schema);
        Struct row = new Struct(schema); // a field never set stays null: Struct only validates what is put
        DataException expected = assertThrows(DataException.class,
                () -> AvroValues.toRecord(row, converter.avroSchema()));
        DataException actual = assertThrows(DataException.class, () -> converter.convert(row));
        assertEquals(expected.getMessage(), actual.getMessage());
        assertEquals("field \"city\": null in a required field of type STRING", actual.getMessage());
    }

    @Test
    void aDecimalBeyondItsPrecisionIsADataExceptionNamingTheField() {
        RecordConverter converter = schemas.converter(ROW);
        Struct row = randomRow(new Random(3), 3).put("amount", new BigDecimal("12345678901.25"));
        DataException e = assertThrows(DataException.class, () -> converter.convert(row));
        assertTrue(e.getMessage().startsWith("field \"amount\": "), e.getMessage());
        assertTrue(e.getMessage().contains("decimal(12,2)"), e.getMessage());
    }

    @Test
    void theSizeIsOfTheLastRecordOnly() {
        RecordConverter converter = schemas.converter(ROW);
        Struct small = randomRow(new Random(5), 5);
        converter.convert(small);
        long once = converter.lastSizeBytes();
        converter.convert(small);
        assertEquals(once, converter.lastSizeBytes());
    }

    private static Struct randomRow(Random rnd, long id) {
        boolean nulls = id % 3 == 0; // every third row: every optional field null
        Struct row = new Struct(ROW)
                .put("id", id)
                .put("i32", rnd.nextInt())
                .put("amount", BigDecimal.valueOf(rnd.nextLong() % 100_000_000_000L, 2));
        if (nulls) {
            return row;
        }
        return row
                .put("i8", (byte) rnd.nextInt())
                .put("i16", (short) rnd.nextInt())
                .put("f32", rnd.nextFloat())
                .put("f64", rnd.nextGaussian())
                .put("flag", rnd.nextBoolean())
                .put("text", "tëxt " + Long.toHexString(rnd.nextLong()))
                .put("raw", randomBytes(rnd))
                .put("loose", BigDecimal.valueOf(rnd.nextLong(), 5))
                .put("day", new java.util.Date((rnd.nextInt(80_000) - 40_000) * 86_400_000L))
                .put("clock", new java.util.Date(rnd.nextInt(86_400_000)))
                .put("at_ms", new java.util.Date(rnd.nextLong() % 4_000_000_000_000L))
                .put("at", rnd.nextLong() % 4_000_000_000_000_000L)
                .put("local_at", rnd.nextLong() % 4_000_000_000_000_000L)
                .put("clock_us", (long) rnd.nextInt(86_400_000) * 1000)
                .put("ext_id", new UUID(rnd.nextLong(), rnd.nextLong()).toString())
                .put("dbz_day", rnd.nextInt(40_000))
                .put("dbz_nano", rnd.nextLong())
                .put("dbz_nano_time", (long) rnd.nextInt(86_400_000) * 1_000_000L - 1)
                .put("dbz_zoned", "2026-02-11T08:00:0" + rnd.nextInt(10) + "." + rnd.nextInt(1_000_000) + "+02:00")
                .put("dbz_decimal", new Struct(VARIABLE_DECIMAL).put("scale", rnd.nextInt(20))
                        .put("value", BigInteger.valueOf(rnd.nextLong()).toByteArray()))
                .put("tags", Arrays.asList("a" + rnd.nextInt(100), null, ""))
                .put("amounts", Arrays.asList(BigDecimal.valueOf(rnd.nextInt(), 3), null))
                .put("attrs", mapOf("k" + rnd.nextInt(10), rnd.nextLong(), "empty", null))
                .put("by_code", mapOf(rnd.nextInt(), address(rnd), 7, null))
                .put("home", address(rnd))
                .put("homes", addresses(rnd));
    }

    private static Struct address(Random rnd) {
        return new Struct(ADDRESS).put("city", rnd.nextBoolean() ? null : "Zürich").put("zip", rnd.nextInt(9999));
    }

    private static List<Struct> addresses(Random rnd) {
        List<Struct> out = new ArrayList<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            out.add(address(rnd));
        }
        return out;
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(20)];
        rnd.nextBytes(b);
        return b;
    }

    private static <K, V> Map<K, V> mapOf(K k1, V v1, K k2, V v2) {
        Map<K, V> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
