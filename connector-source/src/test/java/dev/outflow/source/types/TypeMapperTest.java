package dev.outflow.source.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.PgType;
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
        assertEquals(1_700_000_000_123_456L, TemporalText.micros(1_700_000_000L, 123_456_789));
        assertEquals(-1L, TemporalText.micros(-1L, 999_999_000));
        DataException e = assertThrows(DataException.class, () -> TemporalText.micros(Long.MAX_VALUE / 10, 0));
        assertTrue(e.getMessage().contains("cannot travel"), e.getMessage());
    }

    @Test
    void constrainedNumericIsOptionalBecauseNaNTravelsAsNull() throws Exception {
        ColumnMapping m = TypeMapper.map(new ColumnDefinition("c", "numeric", numericTypmod(5, 2), true), "c");
        assertTrue(m.schema().isOptional());
    }

    @Test
    void unconstrainedNumericPolicyIsConfigurable() {
        ColumnDefinition n = new ColumnDefinition("c", "numeric", -1, false);
        Schema asDouble = TypeMapper.map(n, "c", new TypeOptions(TypeOptions.NumericHandling.DOUBLE, 9,
                TypeOptions.UnknownTypeHandling.TEXT)).schema();
        assertEquals(Schema.Type.FLOAT64, asDouble.type());
        Schema asDecimal = TypeMapper.map(n, "c", new TypeOptions(TypeOptions.NumericHandling.DECIMAL, 4,
                TypeOptions.UnknownTypeHandling.TEXT)).schema();
        assertEquals(Decimal.LOGICAL_NAME, asDecimal.name());
        assertEquals("4", asDecimal.parameters().get(Decimal.SCALE_FIELD));
        assertEquals("38", asDecimal.parameters().get(TypeMapper.DECIMAL_PRECISION_PARAM));
    }

    @Test
    void arraysRangesAndCompositesBecomeArraysAndStructsWithOptionalParts() throws Exception {
        PgType int4 = PgType.base("int4", -1);
        PgType text = PgType.base("text", -1);
        PgType array = new PgType("pg_catalog", "_int4", PgType.Kind.ARRAY, -1, int4, List.of(), ',');
        Schema a = TypeMapper.map(new ColumnDefinition("a", array, true), "a").schema();
        assertEquals(Schema.Type.ARRAY, a.type());
        assertFalse(a.isOptional());
        assertTrue(a.valueSchema().isOptional(), "NULL elements");

        PgType range = new PgType("pg_catalog", "int4range", PgType.Kind.RANGE, -1, int4, List.of(), ',');
        Schema r = TypeMapper.map(new ColumnDefinition("r", range, false), "r").schema();
        assertEquals("pg_catalog.int4range", r.name());
        assertEquals(List.of("lower", "upper", "lower_inclusive", "upper_inclusive", "empty"),
                r.fields().stream().map(f -> f.name()).toList());

        PgType unknown = new PgType("public", "ltree", PgType.Kind.BASE, -1, null, List.of(), ',');
        PgType composite = new PgType("public", "my type", PgType.Kind.COMPOSITE, -1, null, List.of(
                new PgType.Attribute("a b", text), new PgType.Attribute("a_b", unknown)), ',');
        ColumnMapping c = TypeMapper.map(new ColumnDefinition("c", composite, false), "c");
        assertEquals("public.my_type", c.schema().name());
        assertEquals(List.of("a_b", "a_b_2"), c.schema().fields().stream().map(f -> f.name()).toList());
        assertEquals("public.ltree", c.unmappedType(), "an unmapped part is reported for the warning");
        Struct value = (Struct) c.reader().read(resultSetWith("(\"x, y\",Top.A)"), 1);
        assertEquals("x, y", value.get("a_b"));
        assertEquals("Top.A", value.get("a_b_2"));
    }

    @Test
    void intervalIsAStructOfMonthsDaysAndMicroseconds() throws Exception {
        ColumnMapping m = TypeMapper.map(new ColumnDefinition("i", "interval", -1, false), "i");
        assertEquals(OutflowSchemas.INTERVAL, m.schema().name());
        Struct v = (Struct) m.reader().read(resultSetWith("1 year 2 mons -3 days +04:05:06.789"), 1);
        assertEquals(14, v.get("months"));
        assertEquals(-3, v.get("days"));
        assertEquals(14_706_789_000L, v.get("microseconds"));
    }

    /** A one-column result whose getString answers {@code text} (what pgjdbc gives for a text-transfer column). */
    private static java.sql.ResultSet resultSetWith(String text) {
        return (java.sql.ResultSet) java.lang.reflect.Proxy.newProxyInstance(TypeMapperTest.class.getClassLoader(),
                new Class<?>[] {java.sql.ResultSet.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getString")) {
                        return text;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
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
