package dev.outflow.source.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.catalog.TableId;

class TypeMapperTest {

    private static Schema schemaOf(String type, int typmod, boolean notNull) {
        return TypeMapper.map(new ColumnDefinition("c", type, typmod, notNull), "c").schema();
    }

    /** numeric(p,s) typmod as PostgreSQL stores it: ((p << 16) | s) + 4. */
    private static int numericTypmod(int precision, int scale) {
        return ((precision << 16) | scale) + 4;
    }

    @Test
    void integersAndFloatsMapToTheirConnectWidths() {
        assertEquals(Schema.Type.INT16, schemaOf("int2", -1, true).type());
        assertEquals(Schema.Type.INT32, schemaOf("int4", -1, true).type());
        assertEquals(Schema.Type.INT64, schemaOf("int8", -1, true).type());
        assertEquals(Schema.Type.FLOAT32, schemaOf("float4", -1, true).type());
        assertEquals(Schema.Type.FLOAT64, schemaOf("float8", -1, true).type());
        assertEquals(Schema.Type.BOOLEAN, schemaOf("bool", -1, true).type());
    }

    @Test
    void nullableColumnsAreOptionalAndNotNullColumnsAreNot() {
        assertTrue(schemaOf("int4", -1, false).isOptional());
        assertFalse(schemaOf("int4", -1, true).isOptional());
    }

    @Test
    void constrainedNumericIsAnExactDecimalWithPrecision() {
        Schema s = schemaOf("numeric", numericTypmod(12, 2), false);
        assertEquals(Decimal.LOGICAL_NAME, s.name());
        assertEquals("2", s.parameters().get(Decimal.SCALE_FIELD));
        assertEquals("12", s.parameters().get(TypeMapper.DECIMAL_PRECISION_PARAM));
    }

    @Test
    void unconstrainedNumericTravelsAsTextSoNoDigitIsLost() {
        Schema s = schemaOf("numeric", -1, false);
        assertEquals(Schema.Type.STRING, s.type());
        assertEquals(null, s.name());
    }

    @Test
    void temporalTypesKeepTheirMeaning() {
        assertEquals(Date.LOGICAL_NAME, schemaOf("date", -1, false).name());
        Schema tz = schemaOf("timestamptz", -1, false);
        assertEquals(Schema.Type.INT64, tz.type());
        assertEquals(OutflowSchemas.TIMESTAMP_MICROS, tz.name());
        assertEquals(OutflowSchemas.LOCAL_TIMESTAMP_MICROS, schemaOf("timestamp", -1, false).name());
        assertEquals(OutflowSchemas.TIME_MICROS, schemaOf("time", -1, false).name());
    }

    @Test
    void textLikeTypesAreStringsAndUnknownTypesFallBackToText() {
        for (String t : List.of("text", "varchar", "bpchar", "name", "citext")) {
            ColumnMapping m = TypeMapper.map(new ColumnDefinition("c", t, -1, false), "c");
            assertEquals(Schema.Type.STRING, m.schema().type(), t);
            assertFalse(m.fallback(), t);
        }
        ColumnMapping unknown = TypeMapper.map(new ColumnDefinition("c", "geometry", -1, false), "c");
        assertEquals(Schema.Type.STRING, unknown.schema().type());
        assertTrue(unknown.fallback());
    }

    @Test
    void epochMicrosIsExactAndOverflowIsAClearError() {
        assertEquals(1_700_000_000_123_456L, TypeMapper.epochMicros("c", 1_700_000_000L, 123_456_789));
        assertEquals(-1L, TypeMapper.epochMicros("c", -1L, 999_999_000));
        DataException e = assertThrows(DataException.class,
                () -> TypeMapper.epochMicros("updated_at", Long.MAX_VALUE / 10, 0));
        assertTrue(e.getMessage().contains("updated_at"), e.getMessage());
    }

    @Test
    void rowMapperBuildsValueAndKeySchemasWithAvroSafeUniqueNames() {
        TableDefinition table = new TableDefinition(new TableId("public", "Order Items"), List.of(
                new ColumnDefinition("id", "int8", -1, true),
                new ColumnDefinition("Unit Price", "numeric", numericTypmod(10, 2), false),
                new ColumnDefinition("Unit_Price", "text", -1, false)), List.of("id"));
        RowMapper mapper = new RowMapper(table, AvroNames.fullName("pg.public.Order Items"), c -> { });
        assertEquals("pg.public.Order_Items.Value", mapper.valueSchema().name());
        assertEquals(List.of("id", "Unit_Price", "Unit_Price_2"),
                mapper.valueSchema().fields().stream().map(f -> f.name()).toList());
        assertEquals("pg.public.Order_Items.Key", mapper.keySchema().name());
        assertEquals(List.of("id"), mapper.keySchema().fields().stream().map(f -> f.name()).toList());
        assertEquals(List.of("id", "Unit Price", "Unit_Price"), mapper.columnNames());
    }

    @Test
    void tableWithoutPrimaryKeyHasNoKey() {
        TableDefinition table = new TableDefinition(new TableId("public", "log"),
                List.of(new ColumnDefinition("id", "int8", -1, true)), List.of());
        RowMapper mapper = new RowMapper(table, "pg.public.log", c -> { });
        assertEquals(null, mapper.keySchema());
    }
}
