package dev.outflow.source.types;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.errors.DataException;

import dev.outflow.source.catalog.ColumnDefinition;

/**
 * Maps a PostgreSQL column to a Connect schema and a reader. The table of what maps to what is in docs/types.md;
 * keep the two in step. A type without a rule travels as its PostgreSQL text form (flagged as a fallback so the
 * caller can warn once), which is lossless for every type PostgreSQL can print.
 */
public final class TypeMapper {

    /** Schema parameter Connect's Avro converters read to set an Avro decimal's precision. */
    public static final String DECIMAL_PRECISION_PARAM = "connect.decimal.precision";

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private TypeMapper() {
    }

    public static ColumnMapping map(ColumnDefinition column, String fieldName) {
        boolean optional = !column.notNull();
        String name = column.name();
        return switch (column.typeName()) {
            case "bool" -> of(column, fieldName, SchemaBuilder.bool(), optional,
                    (rs, i) -> nullIfWasNull(rs, rs.getBoolean(i)));
            case "int2" -> of(column, fieldName, SchemaBuilder.int16(), optional,
                    (rs, i) -> nullIfWasNull(rs, rs.getShort(i)));
            case "int4" -> of(column, fieldName, SchemaBuilder.int32(), optional,
                    (rs, i) -> nullIfWasNull(rs, rs.getInt(i)));
            case "int8" -> of(column, fieldName, SchemaBuilder.int64(), optional,
                    (rs, i) -> nullIfWasNull(rs, rs.getLong(i)));
            case "float4" -> of(column, fieldName, SchemaBuilder.float32(), optional,
                    (rs, i) -> nullIfWasNull(rs, rs.getFloat(i)));
            case "float8" -> of(column, fieldName, SchemaBuilder.float64(), optional,
                    (rs, i) -> nullIfWasNull(rs, rs.getDouble(i)));
            case "numeric" -> numeric(column, fieldName, optional);
            case "text", "varchar", "bpchar", "name", "citext" -> of(column, fieldName, SchemaBuilder.string(),
                    optional, ResultSet::getString);
            case "bytea" -> of(column, fieldName, SchemaBuilder.bytes(), optional, ResultSet::getBytes);
            case "uuid" -> of(column, fieldName, OutflowSchemas.uuid(), optional, ResultSet::getString);
            case "json", "jsonb" -> of(column, fieldName, OutflowSchemas.json(), optional, ResultSet::getString);
            case "date" -> of(column, fieldName, Date.builder(), optional, (rs, i) -> {
                LocalDate d = rs.getObject(i, LocalDate.class);
                return d == null ? null : new java.util.Date(Math.multiplyExact(d.toEpochDay(), MILLIS_PER_DAY));
            });
            case "timestamptz" -> of(column, fieldName, OutflowSchemas.timestampMicros(), optional, (rs, i) -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                return t == null ? null : epochMicros(name, t.toEpochSecond(), t.getNano());
            });
            case "timestamp" -> of(column, fieldName, OutflowSchemas.localTimestampMicros(), optional, (rs, i) -> {
                LocalDateTime t = rs.getObject(i, LocalDateTime.class);
                return t == null ? null : epochMicros(name, t.toEpochSecond(ZoneOffset.UTC), t.getNano());
            });
            case "time" -> of(column, fieldName, OutflowSchemas.timeMicros(), optional, (rs, i) -> {
                LocalTime t = rs.getObject(i, LocalTime.class);
                return t == null ? null : t.toNanoOfDay() / 1_000L;
            });
            default -> new ColumnMapping(name, fieldName,
                    OutflowSchemas.optionalIf(SchemaBuilder.string(), optional), ResultSet::getString, true);
        };
    }

    private static ColumnMapping numeric(ColumnDefinition column, String fieldName, boolean optional) {
        int precision = column.numericPrecision();
        int scale = column.numericScale();
        if (precision < 0 || scale < 0) {
            // Unconstrained numeric (or a negative scale, which Avro decimals cannot express): values have no
            // common scale, so an exact decimal schema is impossible. The text form keeps every digit.
            return new ColumnMapping(column.name(), fieldName,
                    OutflowSchemas.optionalIf(SchemaBuilder.string(), optional), ResultSet::getString, false);
        }
        SchemaBuilder builder = Decimal.builder(scale).parameter(DECIMAL_PRECISION_PARAM, Integer.toString(precision));
        return of(column, fieldName, builder, optional, (rs, i) -> {
            BigDecimal v = rs.getBigDecimal(i);
            // The column's scale is fixed, so this never rounds; it only normalises e.g. 1.5 to 1.50.
            return v == null ? null : v.setScale(scale, RoundingMode.UNNECESSARY);
        });
    }

    private static ColumnMapping of(ColumnDefinition column, String fieldName, SchemaBuilder builder,
            boolean optional, ColumnReader reader) {
        Schema schema = OutflowSchemas.optionalIf(builder, optional);
        return new ColumnMapping(column.name(), fieldName, schema, reader, false);
    }

    private static Object nullIfWasNull(ResultSet rs, Object value) throws java.sql.SQLException {
        return rs.wasNull() ? null : value;
    }

    static long epochMicros(String column, long epochSecond, int nano) {
        try {
            return Math.addExact(Math.multiplyExact(epochSecond, MICROS_PER_SECOND), nano / 1_000L);
        } catch (ArithmeticException e) {
            throw new DataException("Column \"" + column + "\" holds a timestamp outside the range outflow can "
                    + "carry (e.g. 'infinity'); exclude the column or change the value");
        }
    }
}
