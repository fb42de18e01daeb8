package dev.outflow.source.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.outflow.source.catalog.Catalog;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.catalog.TableId;
import dev.outflow.source.query.Identifiers;
import dev.outflow.testing.ConnectCluster;
import dev.outflow.testing.ExampleConfig;
import dev.outflow.testing.CapturedLog;
import dev.outflow.testing.PostgresServer;
import dev.outflow.testing.SchemaRegistryServer;

/**
 * Every mapped PostgreSQL type, round-tripped the way a record travels: PostgreSQL → the source's own catalog
 * and {@link RowMapper} → Connect struct → the real Apicurio AvroConverter (bytes) → Connect struct, compared
 * column by column, row by row with what PostgreSQL itself says the value is. PostgreSQL's view is computed in
 * SQL (extract, encode, lower/upper, unnest ...), as JSON, independently of the source's text parsers.
 *
 * <p>The table is read twice: with pgjdbc's default text transfer, and with binary transfer forced
 * ({@code prepareThreshold=-1}, what a long-running task gets after a few polls) under other session settings
 * (time zone, IntervalStyle, bytea_output), so both ways pgjdbc hands values over are proven.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeRoundTripIT {

    private static final TableId TABLE = new TableId("public", "all_types");
    private static final String TOPIC = "pg.public.all_types";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private PostgresServer pg;
    private SchemaRegistryServer registry;
    private Converter converter;
    private final List<Col> columns = new ArrayList<>();

    /** One column: its SQL type, how PostgreSQL's view of it is compared, and its value in rows 1 and 2. */
    private record Col(String name, String sqlType, Kind kind, String row1, String row2) {
    }

    // ---------------------------------------------------------------- comparison kinds

    /**
     * How one type is compared: {@link #pg} is a SQL expression giving PostgreSQL's view of value {@code v} as
     * jsonb (null for NULL); {@link #check} compares the Connect value with it.
     */
    private interface Kind {
        String pg(String v, int depth);

        void check(JsonNode expected, Object actual, String where);
    }

    private static void compare(Kind kind, JsonNode expected, Object actual, String where) {
        if (expected == null || expected.isNull()) {
            assertNull(actual, where + ": PostgreSQL holds NULL");
            return;
        }
        assertNotNull(actual, where + ": PostgreSQL holds " + expected);
        kind.check(expected, actual, where);
    }

    /** A scalar compared through a text expression ({@code %1$s} is the value). */
    private static Kind leaf(String sqlText, BiConsumer<String, Object> check) {
        return new Kind() {
            @Override
            public String pg(String v, int depth) {
                return "to_jsonb((" + sqlText.replace("%1$s", "(" + v + ")") + ")::text)";
            }

            @Override
            public void check(JsonNode expected, Object actual, String where) {
                try {
                    check.accept(expected.asText(), actual);
                } catch (AssertionError | RuntimeException e) {
                    fail(where + ": PostgreSQL says " + expected.asText() + ", Connect has " + actual + " ("
                            + e.getMessage() + ")", e);
                }
            }
        };
    }

    /** The type's own output function (format's %s), which a cast to text is not for inet or char(n). */
    private static final Kind TEXT = leaf("CASE WHEN %1$s IS NULL THEN NULL ELSE format('%s', %1$s) END", (e, a) -> assertEquals(e, a));
    /** char(n): PostgreSQL hands clients the blank-padded value (a cast to text would drop the padding). */
    private static Kind paddedChar(int n) {
        return leaf("rpad(%1$s::text, " + n + ")", (e, a) -> assertEquals(e, a));
    }

    private static final Kind INT = leaf("%1$s", (e, a) -> assertEquals(Long.parseLong(e), ((Number) a).longValue()));
    private static final Kind BOOL = leaf("%1$s", (e, a) -> assertEquals(Boolean.parseBoolean(e), a));
    private static final Kind FLOAT4 = leaf("%1$s",
            (e, a) -> assertEquals(0, Float.compare(Float.parseFloat(e), (Float) a)));
    private static final Kind FLOAT8 = leaf("%1$s",
            (e, a) -> assertEquals(0, Double.compare(Double.parseDouble(e), (Double) a)));
    /** numeric(p,s): exact, scale included (BigDecimal.equals); NaN travels as null (the documented policy). */
    private static final Kind DECIMAL = leaf("CASE WHEN %1$s = 'NaN' THEN NULL ELSE %1$s::text END",
            (e, a) -> assertEquals(new BigDecimal(e), a));
    private static final Kind MONEY = leaf("%1$s::numeric", (e, a) -> assertEquals(new BigDecimal(e), a));
    private static final Kind BYTES = leaf("encode(%1$s, 'hex')", (e, a) -> assertEquals(e, hex(a)));
    /** Days since 1970; ±infinity are ±Integer.MAX_VALUE (the documented sentinels). */
    private static final Kind DATE = leaf("CASE WHEN %1$s = 'infinity' THEN '2147483647' "
            + "WHEN %1$s = '-infinity' THEN '-2147483647' ELSE (%1$s - date '1970-01-01')::text END", (e, a) -> {
                long ms = ((java.util.Date) a).getTime();
                assertEquals(0, ms % 86_400_000L, "whole days");
                assertEquals(Long.parseLong(e), ms / 86_400_000L);
            });
    private static final Kind TIME = leaf("(extract(epoch FROM %1$s) * 1000000)::bigint",
            (e, a) -> assertEquals(Long.parseLong(e), a));
    private static final Kind TIMETZ = leaf("(extract(epoch FROM %1$s::time) * 1000000)::bigint || ' ' "
            + "|| extract(timezone FROM %1$s)", (e, a) -> {
                OffsetTime t = OffsetTime.parse((String) a);
                assertEquals(e, t.toLocalTime().toNanoOfDay() / 1000 + " " + t.getOffset().getTotalSeconds());
            });
    /** Microseconds since 1970 (wall clock for timestamp, UTC for timestamptz); ±infinity are ±Long.MAX_VALUE. */
    private static final Kind TIMESTAMP = leaf("CASE WHEN %1$s = 'infinity' THEN '9223372036854775807' "
            + "WHEN %1$s = '-infinity' THEN '-9223372036854775807' "
            + "ELSE (extract(epoch FROM %1$s) * 1000000)::bigint::text END",
            (e, a) -> assertEquals(Long.parseLong(e), a));

    private static final Kind INTERVAL = new Kind() {
        @Override
        public String pg(String v, int depth) {
            return "CASE WHEN (" + v + ") IS NULL THEN NULL ELSE jsonb_build_array("
                    + "extract(year FROM " + v + ") * 12 + extract(month FROM " + v + "), extract(day FROM " + v
                    + "), (extract(hour FROM " + v + ") * 3600 + extract(minute FROM " + v + ") * 60 "
                    + "+ extract(second FROM " + v + ")) * 1000000) END";
        }

        @Override
        public void check(JsonNode e, Object a, String where) {
            Struct s = (Struct) a;
            assertEquals(OutflowSchemas.INTERVAL, s.schema().name(), where);
            assertEquals(0, e.get(0).decimalValue().compareTo(BigDecimal.valueOf(s.getInt32("months"))), where);
            assertEquals(0, e.get(1).decimalValue().compareTo(BigDecimal.valueOf(s.getInt32("days"))), where);
            assertEquals(0, e.get(2).decimalValue().compareTo(BigDecimal.valueOf(s.getInt64("microseconds"))),
                    where + ": " + e + " vs " + s);
        }
    };

    private static final Kind HSTORE = new Kind() {
        @Override
        public String pg(String v, int depth) {
            String h = "h" + depth;
            return "CASE WHEN (" + v + ") IS NULL THEN NULL ELSE coalesce((SELECT jsonb_object_agg(" + h + ".k, "
                    + h + ".v) FROM each(" + v + ") AS " + h + "(k, v)), '{}'::jsonb) END";
        }

        @Override
        public void check(JsonNode e, Object a, String where) {
            Map<?, ?> map = (Map<?, ?>) a;
            assertEquals(e.size(), map.size(), where + ": " + e + " vs " + map);
            e.fields().forEachRemaining(entry -> {
                assertTrue(map.containsKey(entry.getKey()), where + ": no key " + entry.getKey());
                assertEquals(entry.getValue().isNull() ? null : entry.getValue().asText(),
                        map.get(entry.getKey()), where + "[" + entry.getKey() + "]");
            });
        }
    };

    private static Kind array(Kind element) {
        return new Kind() {
            @Override
            public String pg(String v, int depth) {
                String g = "g" + depth;
                return "CASE WHEN (" + v + ") IS NULL THEN NULL ELSE coalesce((SELECT jsonb_agg("
                        + element.pg("(" + v + ")[" + g + ".i]", depth + 1) + " ORDER BY " + g + ".i) "
                        + "FROM generate_subscripts(" + v + ", 1) AS " + g + "(i)), '[]'::jsonb) END";
            }

            @Override
            public void check(JsonNode e, Object a, String where) {
                List<?> list = (List<?>) a;
                assertEquals(e.size(), list.size(), where + ": " + e + " vs " + list);
                for (int i = 0; i < list.size(); i++) {
                    compare(element, e.get(i), list.get(i), where + "[" + i + "]");
                }
            }
        };
    }

    private static Kind range(Kind bound) {
        return new Kind() {
            @Override
            public String pg(String v, int depth) {
                return "CASE WHEN (" + v + ") IS NULL THEN NULL WHEN isempty(" + v + ") THEN '\"empty\"'::jsonb "
                        + "ELSE jsonb_build_array(" + bound.pg("lower(" + v + ")", depth + 1) + ", "
                        + bound.pg("upper(" + v + ")", depth + 1) + ", lower_inc(" + v + "), upper_inc(" + v
                        + ")) END";
            }

            @Override
            public void check(JsonNode e, Object a, String where) {
                Struct s = (Struct) a;
                if (e.isTextual()) {
                    assertEquals(true, s.get("empty"), where + " is empty");
                    return;
                }
                assertEquals(false, s.get("empty"), where);
                compare(bound, e.get(0), s.get("lower"), where + ".lower");
                compare(bound, e.get(1), s.get("upper"), where + ".upper");
                assertEquals(e.get(2).asBoolean(), s.get("lower_inclusive"), where + ".lower_inclusive");
                assertEquals(e.get(3).asBoolean(), s.get("upper_inclusive"), where + ".upper_inclusive");
            }
        };
    }

    /** A composite: {@code fields} alternates attribute names and their kinds. */
    private static Kind composite(Object... fields) {
        Map<String, Kind> byName = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            byName.put((String) fields[i], (Kind) fields[i + 1]);
        }
        return new Kind() {
            @Override
            public String pg(String v, int depth) {
                // (v)::text IS NULL tells a NULL composite from one whose fields are all NULL.
                return "CASE WHEN ((" + v + ")::text) IS NULL THEN NULL ELSE jsonb_build_array(" + byName.entrySet()
                        .stream().map(f -> f.getValue().pg("(" + v + ")." + Identifiers.quote(f.getKey()), depth + 1))
                        .collect(Collectors.joining(", ")) + ") END";
            }

            @Override
            public void check(JsonNode e, Object a, String where) {
                Struct s = (Struct) a;
                int i = 0;
                for (Map.Entry<String, Kind> f : byName.entrySet()) {
                    compare(f.getValue(), e.get(i++), s.get(f.getKey()), where + "." + f.getKey());
                }
            }
        };
    }

    private static String hex(Object bytes) {
        if (bytes instanceof ByteBuffer buffer) {
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            return HexFormat.of().formatHex(copy);
        }
        return HexFormat.of().formatHex((byte[]) bytes);
    }

    // ---------------------------------------------------------------- the table

    private void col(String name, String sqlType, Kind kind, String row1, String row2) {
        columns.add(new Col(name, sqlType, kind, row1, row2));
    }

    private void defineColumns() {
        Kind address = composite("street", TEXT, "zip", INT, "tags", array(TEXT));
        col("c_int2", "int2", INT, "-32768", "32767");
        col("c_int4", "int4", INT, "-2147483648", "2147483647");
        col("c_int8", "int8", INT, "-9223372036854775808", "9223372036854775807");
        col("c_float4", "real", FLOAT4, "'3.4028235e38'", "'NaN'");
        col("c_float4_inf", "real", FLOAT4, "'Infinity'", "'-Infinity'");
        col("c_float8", "float8", FLOAT8, "'1.7976931348623157e308'", "'NaN'");
        col("c_float8_inf", "float8", FLOAT8, "'Infinity'", "'-Infinity'");
        col("c_float8_small", "float8", FLOAT8, "'4.9e-324'", "'-0.1'");
        col("c_num", "numeric(12,3)", DECIMAL, "123456789.123", "'NaN'");
        col("c_num2", "numeric(5,2)", DECIMAL, "-0.5", "999.99");
        col("c_numu", "numeric", TEXT, "3.14159265358979323846264338327950288419716939937510", "'NaN'");
        col("c_numu2", "numeric", TEXT, "'Infinity'", "-0.0000001");
        col("c_numu3", "numeric", TEXT, "'-Infinity'", "1e30");
        col("c_money", "money", MONEY, "'-92233720368547758.08'", "1234.5");
        col("c_bool", "bool", BOOL, "true", "false");
        col("c_text", "text", TEXT, "'a \"quoted\", {braced} \\ back'", "''");
        col("c_varchar", "varchar(10)", TEXT, "'NULL'", "'ünï©ødé'");
        col("c_char", "char(5)", paddedChar(5), "'ab'", "''");
        col("c_citext", "citext", TEXT, "'MiXeD'", "' spaces '");
        col("c_name", "name", TEXT, "'a name'", "'x'");
        col("c_bytea", "bytea", BYTES, "'\\x00ff5c22'", "''");
        col("c_uuid", "uuid", TEXT, "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'00000000-0000-0000-0000-000000000000'");
        col("c_json", "json", TEXT, "'{\"b\": 1,   \"a\": [1, 2.50]}'", "'\"text\"'");
        col("c_jsonb", "jsonb", TEXT, "'{\"b\": 1, \"a\": [1, 2.50, null]}'", "'[]'");
        col("c_date", "date", DATE, "'2024-02-29'", "'infinity'");
        col("c_date2", "date", DATE, "'0044-03-15 BC'", "'-infinity'");
        col("c_date3", "date", DATE, "'10000-01-01'", "'1970-01-01'");
        col("c_time", "time", TIME, "'23:59:59.999999'", "'24:00:00'");
        col("c_timetz", "timetz", TIMETZ, "'10:15:30.123456+05:30'", "'00:00:00-12:00'");
        col("c_timetz2", "timetz", TIMETZ, "'23:59:59+00'", "'12:00:00.5+14'");
        col("c_ts", "timestamp", TIMESTAMP, "'2024-02-29 12:34:56.789012'", "'infinity'");
        col("c_ts2", "timestamp", TIMESTAMP, "'0001-01-01 00:00:00 BC'", "'-infinity'");
        col("c_ts3", "timestamp", TIMESTAMP, "'99999-12-31 23:59:59.999999'", "'1970-01-01 00:00:00'");
        col("c_tstz", "timestamptz", TIMESTAMP, "'2024-02-29 12:34:56.789012+02'", "'infinity'");
        col("c_tstz2", "timestamptz", TIMESTAMP, "'1850-06-01 00:00:00+00'", "'-infinity'");
        col("c_tstz3", "timestamptz", TIMESTAMP, "'0044-03-15 12:00:00+00 BC'", "'2038-01-19 03:14:08.000001+00'");
        col("c_interval", "interval", INTERVAL, "'1 year 2 mons -3 days 04:05:06.789'",
                "'-1 year -2 mons +3 days -04:05:06.000001'");
        col("c_interval2", "interval", INTERVAL, "'0'", "'1000000 hours 0.000001 seconds'");
        col("c_interval3", "interval", INTERVAL, "'-178000000 years'", "'1 day -00:00:00.5'");
        col("c_enum", "mood", TEXT, "'happy'", "'sad, really'");
        col("c_domain", "posint", INT, "1", "2147483647");
        col("c_domnum", "amount", DECIMAL, "12345.678", "'NaN'");
        col("c_inet", "inet", TEXT, "'192.168.0.1/24'", "'::1'");
        col("c_cidr", "cidr", TEXT, "'10.0.0.0/8'", "'2001:db8::/32'");
        col("c_macaddr", "macaddr", TEXT, "'08:00:2b:01:02:03'", "'ff:ff:ff:ff:ff:ff'");
        col("c_macaddr8", "macaddr8", TEXT, "'08:00:2b:01:02:03:04:05'", "'00:00:00:00:00:00:00:00'");
        col("c_bit", "bit(4)", TEXT, "B'1010'", "B'0001'");
        col("c_varbit", "varbit", TEXT, "B'1'", "B''");
        col("c_xml", "xml", TEXT, "'<a x=\"1\">t &amp; u</a>'", "'<b/>'");
        col("c_hstore", "hstore", HSTORE, "'a=>1, \"b c\"=>NULL, \"q\\\"uote\"=>\"x,y\"'", "''");
        col("c_tsvector", "tsvector", TEXT, "'a fat cat'", "''");
        col("c_int4range", "int4range", range(INT), "'[1,10)'", "'empty'");
        col("c_int8range", "int8range", range(INT), "'(,5]'", "'[-9223372036854775808,)'");
        col("c_numrange", "numrange", range(TEXT), "'[1.5,2.25]'", "'(,)'");
        col("c_daterange", "daterange", range(DATE), "'[2020-01-01,2021-01-01)'", "'[-infinity,infinity)'");
        col("c_tsrange", "tsrange", range(TIMESTAMP), "'[\"2020-01-01 00:00:00\",\"2020-01-01 00:00:00.5\"]'",
                "'empty'");
        col("c_tstzrange", "tstzrange", range(TIMESTAMP), "'[2020-01-01 00:00:00+00,)'", "'(,infinity]'");
        col("c_floatrange", "floatrange", range(FLOAT8), "'[1.5,2.5)'", "'(-Infinity,0]'");
        col("c_multirange", "int4multirange", TEXT, "'{[1,3), [5,7)}'", "'{}'");
        col("c_comp", "address", address, "ROW('Main St, 1', 12345, ARRAY['a','b c',NULL])",
                "ROW(NULL, NULL, '{}')");
        col("c_comp2", "address", address, "ROW('\"quoted\" \\ back', -1, NULL)", "ROW('', 0, ARRAY[''])");
        col("c_nested", "outer_t", composite("home", address, "span", INTERVAL, "at", TIMESTAMP),
                "ROW(ROW('x', 1, NULL)::address, '1 day', '2020-01-01 00:00:00+00')", "ROW(NULL, NULL, 'infinity')");
        col("c_ltree", "ltree", TEXT, "'Top.Science.Astronomy'", "''");
        col("c_circle", "circle", TEXT, "'<(1.5,2),3>'", "'<(0,0),0>'");

        col("a_int2", "int2[]", array(INT), "'{1,NULL,-32768}'", "'{}'");
        col("a_int4", "int4[]", array(INT), "'{1,2,3}'", "'[0:1]={7,8}'");
        col("a_int8", "int8[]", array(INT), "'{9223372036854775807,NULL}'", "'{NULL}'");
        col("a_float4", "real[]", array(FLOAT4), "'{NaN,Infinity,-Infinity,1.5}'", "'{3.4028235e38,NULL}'");
        col("a_float8", "float8[]", array(FLOAT8), "'{NaN,-Infinity,1e-300,NULL}'", "'{}'");
        col("a_num", "numeric(6,2)[]", array(DECIMAL), "'{1.5,NaN,NULL,-9999.99}'", "'{}'");
        col("a_numu", "numeric[]", array(TEXT), "'{1.000,Infinity,NaN,NULL,-1e-10}'", "'{0}'");
        col("a_money", "money[]", array(MONEY), "'{1.23,-1000000}'", "'{NULL}'");
        col("a_bool", "bool[]", array(BOOL), "'{t,f,NULL}'", "'{}'");
        col("a_text", "text[]", array(TEXT),
                "ARRAY['a,b', '\"q\"', 'back\\slash', ' sp ', 'NULL', '', NULL, '{x}']", "'{}'");
        col("a_varchar", "varchar(5)[]", array(TEXT), "'{abc,NULL}'", "'{\"\"}'");
        col("a_char", "char(3)[]", array(paddedChar(3)), "'{a,bc}'", "'{NULL}'");
        col("a_citext", "citext[]", array(TEXT), "'{A,b}'", "'{}'");
        col("a_name", "name[]", array(TEXT), "'{x,y}'", "'{}'");
        col("a_bytea", "bytea[]", array(BYTES), "ARRAY['\\x00'::bytea, '\\xff5c22'::bytea, NULL, ''::bytea]", "'{}'");
        col("a_uuid", "uuid[]", array(TEXT), "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}'", "'{}'");
        col("a_json", "json[]", array(TEXT), "ARRAY['{\"a\": 1}'::json, '[1, \"x,y\"]'::json, NULL]", "'{}'");
        col("a_jsonb", "jsonb[]", array(TEXT), "ARRAY['{\"a\": \"b\\\"c\"}'::jsonb, 'null'::jsonb]", "'{}'");
        col("a_date", "date[]", array(DATE), "'{2024-02-29,infinity,-infinity,\"0044-03-15 BC\",NULL}'", "'{}'");
        col("a_time", "time[]", array(TIME), "'{00:00:00,24:00:00,12:34:56.000001,NULL}'", "'{}'");
        col("a_timetz", "timetz[]", array(TIMETZ), "'{10:15:30.123456+05:30,00:00:00-12}'", "'{NULL}'");
        col("a_ts", "timestamp[]", array(TIMESTAMP),
                "'{\"2024-02-29 12:34:56.789012\",infinity,-infinity,\"0001-01-01 00:00:00 BC\",NULL}'", "'{}'");
        col("a_tstz", "timestamptz[]", array(TIMESTAMP),
                "'{\"2024-02-29 12:34:56.789012+02\",infinity,\"1850-06-01 00:00:00+00\",NULL}'", "'{}'");
        col("a_interval", "interval[]", array(INTERVAL),
                "'{\"1 year 2 mons -3 days 04:05:06.789\",\"-00:00:00.000001\",NULL}'", "'{}'");
        col("a_enum", "mood[]", array(TEXT), "ARRAY['happy','sad, really',NULL]::mood[]", "'{}'");
        col("a_inet", "inet[]", array(TEXT), "'{192.168.0.1/24,::1,NULL}'", "'{}'");
        col("a_cidr", "cidr[]", array(TEXT), "'{10.0.0.0/8}'", "'{}'");
        col("a_macaddr", "macaddr[]", array(TEXT), "'{08:00:2b:01:02:03}'", "'{}'");
        col("a_bit", "bit(3)[]", array(TEXT), "'{101,010}'", "'{}'");
        col("a_varbit", "varbit[]", array(TEXT), "ARRAY[B'1', B'', NULL]", "'{}'");
        col("a_xml", "xml[]", array(TEXT), "ARRAY['<a/>'::xml, '<b x=\"1,2\"/>'::xml]", "'{}'");
        col("a_hstore", "hstore[]", array(HSTORE), "ARRAY['a=>1'::hstore, ''::hstore, NULL]", "'{}'");
        col("a_tsvector", "tsvector[]", array(TEXT), "ARRAY['a b'::tsvector]", "'{}'");
        col("a_range", "int4range[]", array(range(INT)), "'{\"[1,3)\",empty,NULL,\"(,5)\"}'", "'{}'");
        col("a_daterange", "daterange[]", array(range(DATE)), "'{\"[2020-01-01,infinity)\"}'", "'{}'");
        col("a_comp", "address[]", array(address),
                "ARRAY[ROW('x, y', 1, ARRAY['q\"', NULL])::address, NULL, ROW(NULL, NULL, NULL)::address]", "'{}'");
        col("a_ltree", "ltree[]", array(TEXT), "'{a.b,c}'", "'{}'");
        col("a_domain", "posint[]", array(INT), "'{1,2}'", "'{}'");
        col("d_intlist", "intlist", array(INT), "'{1,NULL}'", "'{}'");
    }

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        registry = SchemaRegistryServer.start();
        converter = ConnectCluster.avroConverter(registry, false);
        defineColumns();
        pg.execute("CREATE EXTENSION hstore", "CREATE EXTENSION citext", "CREATE EXTENSION ltree",
                "CREATE TYPE mood AS ENUM ('happy', 'sad, really')",
                "CREATE DOMAIN posint AS int4 CHECK (VALUE > 0)",
                "CREATE DOMAIN amount AS numeric(8,3)",
                "CREATE DOMAIN intlist AS int4[]",
                "CREATE TYPE address AS (street text, zip int4, tags text[])",
                "CREATE TYPE outer_t AS (home address, span interval, at timestamptz)",
                "CREATE TYPE floatrange AS RANGE (subtype = float8)");
        pg.execute("CREATE TABLE all_types (id int4 PRIMARY KEY, " + columns.stream()
                .map(c -> c.name() + " " + c.sqlType()).collect(Collectors.joining(", ")) + ")");
        String names = columns.stream().map(Col::name).collect(Collectors.joining(", "));
        pg.execute("INSERT INTO all_types (id, " + names + ") VALUES (1, "
                        + columns.stream().map(Col::row1).collect(Collectors.joining(", ")) + ")",
                "INSERT INTO all_types (id, " + names + ") VALUES (2, "
                        + columns.stream().map(Col::row2).collect(Collectors.joining(", ")) + ")",
                "INSERT INTO all_types (id) VALUES (3)");
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {registry, pg}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void everyTypeSurvivesTheAvroRoundTripWithTextTransfer() throws Exception {
        roundTrip("", "SET TimeZone = 'Europe/Amsterdam'");
    }

    @Test
    void everyTypeSurvivesTheAvroRoundTripWithBinaryTransferAndOtherSessionSettings() throws Exception {
        roundTrip("?prepareThreshold=-1", "SET TimeZone = 'Asia/Kolkata'", "SET IntervalStyle = 'iso_8601'",
                "SET bytea_output = 'escape'");
    }

    private void roundTrip(String urlSuffix, String... sessionSettings) throws Exception {
        Map<Integer, Map<String, JsonNode>> expected = postgresView();
        try (Connection conn = DriverManager.getConnection(pg.jdbcUrl() + urlSuffix, pg.user(), pg.password())) {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                for (String s : sessionSettings) {
                    st.execute(s);
                }
            }
            TableDefinition definition = Catalog.describe(conn, TABLE).orElseThrow();
            RowMapper mapper = new RowMapper(definition, TOPIC, TypeOptions.DEFAULTS);
            assertEquals(columns.size() + 1, mapper.columnNames().size(), "every column travels");
            String select = "SELECT " + mapper.columnNames().stream().map(Identifiers::quote)
                    .collect(Collectors.joining(", ")) + " FROM all_types ORDER BY id";
            int rows = 0;
            // Twice, so that with prepareThreshold=-1 pgjdbc has surely switched to binary for the second run.
            for (int run = 0; run < 2; run++) {
                try (PreparedStatement st = conn.prepareStatement(select); ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Struct sent = mapper.readValue(rs);
                        byte[] bytes = converter.fromConnectData(TOPIC, mapper.valueSchema(), sent);
                        SchemaAndValue back = converter.toConnectData(TOPIC, bytes);
                        Struct received = (Struct) back.value();
                        assertSameSchema(mapper.valueSchema(), back.schema(), "value");
                        int id = received.getInt32("id");
                        for (Col c : columns) {
                            compare(c.kind(), expected.get(id).get(c.name()), received.get(c.name()),
                                    "row " + id + " column " + c.name() + " (" + c.sqlType() + ")");
                        }
                        rows++;
                    }
                }
            }
            conn.commit();
            assertEquals(6, rows);
        }
    }

    /** Field by field, the schema that comes back from Avro has the same types and semantic names. */
    private static void assertSameSchema(Schema sent, Schema received, String where) {
        assertEquals(sent.type(), received.type(), where);
        assertEquals(sent.name(), received.name(), where + " name");
        if (!where.equals("value")) { // the converter hands the top-level struct back as required
            assertEquals(sent.isOptional(), received.isOptional(), where + " optional");
        }
        switch (sent.type()) {
            case STRUCT -> {
                assertEquals(sent.fields().size(), received.fields().size(), where);
                for (Field f : sent.fields()) {
                    assertSameSchema(f.schema(), received.field(f.name()).schema(), where + "." + f.name());
                }
            }
            case ARRAY -> assertSameSchema(sent.valueSchema(), received.valueSchema(), where + "[]");
            case MAP -> {
                assertSameSchema(sent.keySchema(), received.keySchema(), where + " key");
                assertSameSchema(sent.valueSchema(), received.valueSchema(), where + " value");
            }
            default -> {
                if (sent.parameters() != null && sent.parameters().containsKey("scale")) {
                    assertEquals(sent.parameters().get("scale"), received.parameters().get("scale"), where);
                }
            }
        }
    }

    /** Row id → column → PostgreSQL's own view of the value (see {@link Kind#pg}). */
    private Map<Integer, Map<String, JsonNode>> postgresView() throws SQLException, java.io.IOException {
        String select = "SELECT id, " + columns.stream().map(c -> "(" + c.kind().pg(c.name(), 0) + ")::text")
                .collect(Collectors.joining(", ")) + " FROM all_types ORDER BY id";
        Map<Integer, Map<String, JsonNode>> view = new LinkedHashMap<>();
        try (Connection conn = pg.connect(); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(select)) {
            while (rs.next()) {
                Map<String, JsonNode> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    String json = rs.getString(i + 2);
                    row.put(columns.get(i).name(), json == null ? null : JSON.readTree(json));
                }
                view.put(rs.getInt(1), row);
            }
        }
        assertEquals(3, view.size());
        return view;
    }

    /**
     * The same table through a real Connect worker running the source connector (the task's own reader, the
     * worker's converter and Kafka), consumed from the topic with the same converter.
     */
    @Test
    void everyTypeArrivesThroughARealConnectWorker() throws Exception {
        Map<Integer, Map<String, JsonNode>> expected = postgresView();
        try (ConnectCluster connect = ConnectCluster.start(registry)) {
            ExampleConfig source = ExampleConfig.load("source-postgres.json")
                    .with("connection.url", pg.jdbcUrl())
                    .with("connection.user", pg.user())
                    .with("connection.password", pg.password())
                    .with("table.include.list", "public\\.all_types")
                    .with("poll.interval.ms", "500");
            connect.configureConnector("types-source", source.config());
            connect.awaitRunning("types-source", 1, Duration.ofSeconds(60));
            List<ConsumerRecord<byte[], byte[]>> records = connect.consume(TOPIC, 3, Duration.ofSeconds(60));
            assertEquals(3, records.size());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Struct received = (Struct) converter.toConnectData(TOPIC, record.value()).value();
                int id = received.getInt32("id");
                for (Col c : columns) {
                    compare(c.kind(), expected.get(id).get(c.name()), received.get(c.name()),
                            "worker: row " + id + " column " + c.name() + " (" + c.sqlType() + ")");
                }
            }
        }
    }

    @Test
    void unknownTypesTravelAsTextWithOneWarningEachOrAreSkipped() throws Exception {
        try (Connection conn = pg.connect(); CapturedLog log = CapturedLog.of(RowMapper.class)) {
            TableDefinition definition = Catalog.describe(conn, TABLE).orElseThrow();
            RowMapper text = new RowMapper(definition, TOPIC, TypeOptions.DEFAULTS);
            assertTrue(text.columnNames().containsAll(List.of("c_ltree", "c_circle", "a_ltree")));
            assertEquals(List.of(
                    "WARN Column \"c_ltree\" of public.all_types has type public.ltree, which has no mapping rule; "
                            + "it travels as its text form",
                    "WARN Column \"c_circle\" of public.all_types has type pg_catalog.circle, which has no mapping "
                            + "rule; it travels as its text form",
                    "WARN Column \"a_ltree\" of public.all_types has type public.ltree, which has no mapping rule; "
                            + "it travels as its text form"), log.lines());

            log.clear();
            TypeOptions skip = new TypeOptions(TypeOptions.NumericHandling.STRING, 9,
                    TypeOptions.UnknownTypeHandling.SKIP);
            RowMapper skipping = new RowMapper(definition, TOPIC, skip);
            List<String> warnings = log.lines();
            assertEquals(3, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).endsWith("the column is left out (unknown.type.handling=skip)"), warnings.get(0));
            List<String> expected = new ArrayList<>(text.columnNames());
            expected.removeAll(List.of("c_ltree", "c_circle", "a_ltree"));
            assertEquals(expected, skipping.columnNames());
            assertNull(skipping.valueSchema().field("c_ltree"));
        }
    }

    @Test
    void unconstrainedNumericFollowsTheConfiguredPolicy() throws Exception {
        pg.execute("CREATE TABLE numerics (id int4 PRIMARY KEY, n numeric)",
                "INSERT INTO numerics VALUES (1, 1.23456789012345678901), (2, 'NaN'), (3, 'Infinity'), "
                        + "(4, -0.0000000005), (5, 12345678901234567890123456789.5), (6, NULL)");
        TypeOptions asDouble = new TypeOptions(TypeOptions.NumericHandling.DOUBLE, 9,
                TypeOptions.UnknownTypeHandling.TEXT);
        // PostgreSQL's own conversion to float8 is the expectation (NaN and Infinity included).
        checkNumerics(asDouble, "n::float8::text", (e, a) -> assertEquals(0, Double.compare(Double.parseDouble(e),
                (Double) a)));
        TypeOptions asDecimal = new TypeOptions(TypeOptions.NumericHandling.DECIMAL, 9,
                TypeOptions.UnknownTypeHandling.TEXT);
        // PostgreSQL's round() is the expectation: -0.0000000005 is a tie at scale 9 (half away from zero).
        checkNumerics(asDecimal, "CASE WHEN n IN ('NaN', 'Infinity') THEN NULL ELSE round(n, 9)::text END",
                (e, a) -> assertEquals(new BigDecimal(e), a));
    }

    private void checkNumerics(TypeOptions options, String pgExpr, BiConsumer<String, Object> check)
            throws Exception {
        Map<Integer, String> expected = new LinkedHashMap<>();
        try (Connection conn = pg.connect(); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, " + pgExpr + " FROM numerics ORDER BY id")) {
            while (rs.next()) {
                expected.put(rs.getInt(1), rs.getString(2));
            }
        }
        try (Connection conn = pg.connect()) {
            RowMapper mapper = new RowMapper(Catalog.describe(conn, new TableId("public", "numerics")).orElseThrow(),
                    "pg.public.numerics", options);
            try (Statement st = conn.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, n FROM numerics ORDER BY id")) {
                int rows = 0;
                while (rs.next()) {
                    Struct sent = mapper.readValue(rs);
                    Struct received = (Struct) converter.toConnectData("numerics",
                            converter.fromConnectData("numerics", mapper.valueSchema(), sent)).value();
                    String e = expected.get(received.getInt32("id"));
                    Object a = received.get("n");
                    if (e == null) {
                        assertNull(a, "id " + received.get("id"));
                    } else {
                        check.accept(e, a);
                    }
                    rows++;
                }
                assertEquals(6, rows);
                assertFalse(expected.isEmpty());
            }
        }
    }
}
