package dev.outflow.sink.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writes with the real writer, reads with DuckDB: codecs, and the types other producers (Debezium) send. */
class ParquetFormatTest {

    @TempDir
    Path dir;

    private static final Schema VSD = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal")
            .field("scale", SchemaBuilder.int32().build()).field("value", SchemaBuilder.bytes().build())
            .optional().build();

    private static final Schema DEBEZIUM_ROW = SchemaBuilder.struct().name("dbserver.public.orders.Value")
            .field("d", SchemaBuilder.int32().name("io.debezium.time.Date").build())
            .field("t", SchemaBuilder.int32().name("io.debezium.time.Time").build())
            .field("mt", SchemaBuilder.int64().name("io.debezium.time.MicroTime").build())
            .field("ts", SchemaBuilder.int64().name("io.debezium.time.Timestamp").build())
            .field("mts", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build())
            .field("nts", SchemaBuilder.int64().name("io.debezium.time.NanoTimestamp").build())
            .field("zts", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").build())
            .field("u", SchemaBuilder.string().name("io.debezium.data.Uuid").build())
            .field("j", SchemaBuilder.string().name("io.debezium.data.Json").optional().build())
            .field("vsd", VSD)
            .field("b", SchemaBuilder.bytes().build())
            .build();

    private Map<String, Object> writeAndRead(Schema schema, Struct value, String codec, String select)
            throws Exception {
        Path file = dir.resolve("f." + codec + ".parquet");
        AvroSchemas schemas = new AvroSchemas();
        try (ParquetRecordWriter w = new ParquetRecordWriter(new LocalOutputFile(file), schemas.recordSchema(schema),
                Codecs.codec(codec), 1 << 20, 64 << 10, "t", 0, 0)) {
            w.write(AvroValues.toRecord(value, schemas.recordSchema(schema)), 0);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(select.replace("FILE", "read_parquet('" + file + "')")
                        .replace("META", "parquet_metadata('" + file + "')"))) {
            rs.next();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
            }
        }
        return row;
    }

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zstd", "gzip", "none"})
    void everyCodecWritesAFileOthersCanRead(String codec) throws Exception {
        Schema schema = SchemaBuilder.struct().name("r").field("id", SchemaBuilder.int64().build()).build();
        Map<String, Object> row = writeAndRead(schema, new Struct(schema).put("id", 42L), codec,
                "SELECT (SELECT id FROM FILE) id, (SELECT DISTINCT compression FROM META) codec");
        assertEquals("42", row.get("id"));
        assertEquals("none".equals(codec) ? "UNCOMPRESSED" : codec.toUpperCase(), row.get("codec"));
    }

    @Test
    void debeziumSemanticTypesLandAsTypedColumnsWithExactValues() throws Exception {
        BigDecimal decimal = new BigDecimal("-12345.678901234567890");
        Struct value = new Struct(DEBEZIUM_ROW)
                .put("d", 20_495) // 2026-02-11
                .put("t", 29_730_123) // 08:15:30.123
                .put("mt", 29_730_123_456L)
                .put("ts", 1_770_797_730_123L) // 2026-02-11 08:15:30.123 (no zone)
                .put("mts", 1_770_797_730_123_456L)
                .put("nts", 1_770_797_730_123_456_789L)
                .put("zts", "2026-02-11T09:15:30.123456+01:00")
                .put("u", "0b8e0f5a-6c2f-4a4b-9d7e-2f3c4d5e6f70")
                .put("j", "{\"a\": 1}")
                .put("vsd", new Struct(VSD).put("scale", decimal.scale())
                        .put("value", ByteBuffer.wrap(decimal.unscaledValue().toByteArray())))
                .put("b", ByteBuffer.wrap(new byte[] {1, 2, (byte) 0xff}));
        Map<String, Object> row = writeAndRead(DEBEZIUM_ROW, value, "snappy",
                "SELECT CAST(d AS VARCHAR) d, typeof(d) td, CAST(t AS VARCHAR) t, CAST(mt AS VARCHAR) mt, "
                        + "typeof(mt) tmt, CAST(ts AS VARCHAR) ts, typeof(ts) tts, CAST(mts AS VARCHAR) mts, "
                        + "CAST(nts AS VARCHAR) nts, epoch_us(zts) zts, typeof(zts) tzts, CAST(u AS VARCHAR) u, "
                        + "typeof(u) tu, j, vsd, lower(hex(b)) b FROM FILE");
        assertEquals("2026-02-11", row.get("d"));
        assertEquals("DATE", row.get("td"));
        assertEquals("08:15:30.123", row.get("t"));
        assertEquals("08:15:30.123456", row.get("mt"));
        assertEquals("TIME", row.get("tmt"));
        assertEquals("2026-02-11 08:15:30.123", row.get("ts"));
        assertEquals("TIMESTAMP", row.get("tts"));
        assertEquals("2026-02-11 08:15:30.123456", row.get("mts"));
        assertEquals("2026-02-11 08:15:30.123456", row.get("nts"));
        assertEquals("1770797730123456", row.get("zts"));
        assertEquals("TIMESTAMP WITH TIME ZONE", row.get("tzts"));
        assertEquals("0b8e0f5a-6c2f-4a4b-9d7e-2f3c4d5e6f70", row.get("u"));
        assertEquals("UUID", row.get("tu"));
        assertEquals("{\"a\": 1}", row.get("j"));
        assertEquals(decimal.toPlainString(), row.get("vsd"));
        assertEquals("0102ff", row.get("b"));
    }
}
