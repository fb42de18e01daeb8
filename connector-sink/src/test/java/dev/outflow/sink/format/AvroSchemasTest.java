package dev.outflow.sink.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class AvroSchemasTest {

    private final AvroSchemas schemas = new AvroSchemas();

    private static org.apache.kafka.connect.data.Schema rowSchema() {
        return SchemaBuilder.struct().name("pg.public.orders.Value")
                .field("id", SchemaBuilder.int64().build())
                .field("qty", SchemaBuilder.int16().optional().build())
                .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "12").optional().build())
                .field("day", Date.builder().optional().build())
                .field("at_ms", Timestamp.builder().optional().build())
                .field("at", SchemaBuilder.int64().name("dev.outflow.time.TimestampMicros").optional().build())
                .field("local_at", SchemaBuilder.int64().name("dev.outflow.time.LocalTimestampMicros").build())
                .field("ext_id", SchemaBuilder.string().name("dev.outflow.data.Uuid").optional().build())
                .field("tags", SchemaBuilder.array(SchemaBuilder.string().optional().build()).optional().build())
                .field("attrs", SchemaBuilder.map(SchemaBuilder.string().build(), SchemaBuilder.int32().build())
                        .optional().build())
                .build();
    }

    private static Schema nonNull(Schema s) {
        return s.isUnion() ? s.getTypes().get(1) : s;
    }

    @Test
    void logicalTypesBecomeAvroLogicalTypes() {
        Schema avro = schemas.recordSchema(rowSchema());
        assertEquals("Value", avro.getName());
        assertEquals("pg.public.orders", avro.getNamespace());
        assertEquals(LogicalTypes.decimal(12, 2), nonNull(avro.getField("amount").schema()).getLogicalType());
        assertEquals(LogicalTypes.date(), nonNull(avro.getField("day").schema()).getLogicalType());
        assertEquals(LogicalTypes.timestampMillis(), nonNull(avro.getField("at_ms").schema()).getLogicalType());
        assertEquals(LogicalTypes.timestampMicros(), nonNull(avro.getField("at").schema()).getLogicalType());
        assertEquals(LogicalTypes.localTimestampMicros(), avro.getField("local_at").schema().getLogicalType());
        assertEquals(LogicalTypes.uuid(), nonNull(avro.getField("ext_id").schema()).getLogicalType());
        assertEquals(Schema.Type.INT, nonNull(avro.getField("qty").schema()).getType());
        assertEquals(Schema.Type.MAP, nonNull(avro.getField("attrs").schema()).getType());
    }

    @Test
    void optionalFieldsAreNullableWithNullDefault() {
        Schema avro = schemas.recordSchema(rowSchema());
        assertEquals(Schema.Type.UNION, avro.getField("qty").schema().getType());
        assertEquals(Schema.Type.LONG, avro.getField("id").schema().getType());
        assertEquals(org.apache.avro.JsonProperties.NULL_VALUE, avro.getField("qty").defaultVal());
    }

    @Test
    void conversionIsCachedPerSchema() {
        assertSame(schemas.recordSchema(rowSchema()), schemas.recordSchema(rowSchema()));
    }

    @Test
    void valuesAreEncodedForTheirLogicalTypes() {
        org.apache.kafka.connect.data.Schema schema = rowSchema();
        Struct row = new Struct(schema)
                .put("id", 7L)
                .put("qty", (short) 3)
                .put("amount", new BigDecimal("1234.5"))
                .put("day", new java.util.Date(20_000L * 86_400_000L))
                .put("at_ms", new java.util.Date(1_700_000_000_123L))
                .put("at", 1_700_000_000_123_456L)
                .put("local_at", 5L)
                .put("tags", java.util.Arrays.asList("a", null))
                .put("attrs", Map.of("k", 1));
        GenericData.Record rec = AvroValues.toRecord(row, schemas.recordSchema(schema));
        assertEquals(3, rec.get("qty"));
        assertEquals(ByteBuffer.wrap(new BigDecimal("1234.50").unscaledValue().toByteArray()), rec.get("amount"));
        assertEquals(20_000, rec.get("day"));
        assertEquals(1_700_000_000_123L, rec.get("at_ms"));
        assertEquals(1_700_000_000_123_456L, rec.get("at"));
        assertEquals(java.util.Arrays.asList("a", null), rec.get("tags"));
        assertEquals(null, rec.get("ext_id"));
        assertEquals(Map.of("k", 1), rec.get("attrs"));
    }

    @Test
    void nonStringMapKeysBecomeKeyValueLists() {
        org.apache.kafka.connect.data.Schema schema = SchemaBuilder.struct().name("r")
                .field("m", SchemaBuilder.map(SchemaBuilder.int32().build(), SchemaBuilder.string().build()).build())
                .build();
        Schema avro = schemas.recordSchema(schema);
        assertEquals(Schema.Type.ARRAY, avro.getField("m").schema().getType());
        GenericData.Record rec = AvroValues.toRecord(new Struct(schema).put("m", Map.of(1, "one")), avro);
        GenericData.Record entry = (GenericData.Record) ((List<?>) rec.get("m")).get(0);
        assertEquals(1, entry.get("key"));
        assertEquals("one", entry.get("value"));
    }

    @Test
    void nonStructValueSchemaIsRejectedClearly() {
        DataException e = assertThrows(DataException.class,
                () -> schemas.recordSchema(SchemaBuilder.string().build()));
        assertEquals(true, e.getMessage().contains("STRUCT"));
    }
}
