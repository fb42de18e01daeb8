package dev.outflow.source.types;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.postgresql.util.HStoreConverter;

import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.PgType;

/**
 * Maps a PostgreSQL column to a Connect schema and a reader. The table of what maps to what is in docs/types.md;
 * keep the two in step. A type without a rule travels as its PostgreSQL text form, which is lossless for every type
 * PostgreSQL can print, and is reported (see {@link ColumnMapping#unmappedType()}) so the caller warns once.
 *
 * <p>Scalars that pgjdbc may transfer in binary (numbers, dates, times) are read with typed getters, which are
 * exact either way; everything else, and every element of an array, range or composite, is read from PostgreSQL's
 * text form by {@link PgText}, {@link ScalarText} and {@link TemporalText}.
 */
public final class TypeMapper {

    /** Schema parameter Connect's Avro converters read to set an Avro decimal's precision. */
    public static final String DECIMAL_PRECISION_PARAM = "connect.decimal.precision";

    /** Precision given to decimals of unconstrained numerics: the most Parquet readers handle. */
    static final int UNCONSTRAINED_DECIMAL_PRECISION = 38;
    /** money is an int64 of minor units: at most 19 digits. */
    private static final int MONEY_PRECISION = 19;

    /** Types that travel as their PostgreSQL text form by design (documented in docs/types.md, no warning). */
    private static final Set<String> TEXT_TYPES = Set.of("text", "varchar", "bpchar", "name", "citext", "char",
            "xml", "inet", "cidr", "macaddr", "macaddr8", "bit", "varbit", "tsvector", "tsquery", "jsonpath",
            "pg_lsn");

    private TypeMapper() {
    }

    /** The mapping with the default {@link TypeOptions}. */
    public static ColumnMapping map(ColumnDefinition column, String fieldName) {
        return map(column, fieldName, TypeOptions.DEFAULTS);
    }

    public static ColumnMapping map(ColumnDefinition column, String fieldName, TypeOptions options) {
        ValueType type = new Rules(options, column.name()).of(column.type());
        Schema schema = type.schema().apply(!column.notNull());
        ColumnReader reader = type.reader().apply(schema);
        return new ColumnMapping(column.name(), fieldName, schema, reader, type.unmapped());
    }

    /** The rules for one column (its name goes into error messages). */
    private record Rules(TypeOptions options, String column) {

        ValueType of(PgType type) {
            return switch (type.kind()) {
                case BASE -> base(type);
                case ENUM, MULTIRANGE -> text();
                case ARRAY -> array(type);
                case RANGE -> range(type);
                case COMPOSITE -> composite(type);
                case OTHER -> text().withUnmapped(type.qualifiedName());
            };
        }

        private ValueType base(PgType type) {
            return switch (type.name()) {
                case "bool" -> ValueType.typed(opt(SchemaBuilder::bool), (s, sc) -> ScalarText.bool(s),
                        (rs, i) -> nullIfWasNull(rs, rs.getBoolean(i)));
                case "int2" -> ValueType.typed(opt(SchemaBuilder::int16), (s, sc) -> Short.parseShort(s),
                        (rs, i) -> nullIfWasNull(rs, rs.getShort(i)));
                case "int4" -> ValueType.typed(opt(SchemaBuilder::int32), (s, sc) -> Integer.parseInt(s),
                        (rs, i) -> nullIfWasNull(rs, rs.getInt(i)));
                case "int8", "oid" -> ValueType.typed(opt(SchemaBuilder::int64), (s, sc) -> Long.parseLong(s),
                        (rs, i) -> nullIfWasNull(rs, rs.getLong(i)));
                // Java parses PostgreSQL's NaN, Infinity, -Infinity and shortest-exact digits as they are.
                case "float4" -> ValueType.typed(opt(SchemaBuilder::float32), (s, sc) -> Float.parseFloat(s),
                        (rs, i) -> nullIfWasNull(rs, rs.getFloat(i)));
                case "float8" -> ValueType.typed(opt(SchemaBuilder::float64), (s, sc) -> Double.parseDouble(s),
                        (rs, i) -> nullIfWasNull(rs, rs.getDouble(i)));
                case "numeric" -> numeric(type.typmod());
                case "money" -> money(type.typmod());
                case "bytea" -> ValueType.typed(opt(SchemaBuilder::bytes), (s, sc) -> ScalarText.bytea(s),
                        ResultSet::getBytes);
                case "uuid" -> ValueType.fromText(opt(OutflowSchemas::uuid), (s, sc) -> s);
                case "json", "jsonb" -> ValueType.fromText(opt(OutflowSchemas::json), (s, sc) -> s);
                case "date" -> ValueType.typed(opt(Date::builder),
                        (s, sc) -> TemporalText.connectDate(TemporalText.parseDate(s)), (rs, i) -> {
                            LocalDate d = rs.getObject(i, LocalDate.class);
                            return d == null ? null : TemporalText.connectDate(TemporalText.epochDay(d));
                        });
                case "time" -> ValueType.typed(opt(OutflowSchemas::timeMicros),
                        (s, sc) -> TemporalText.parseTime(s), (rs, i) -> {
                            LocalTime t = rs.getObject(i, LocalTime.class);
                            return t == null ? null : TemporalText.timeMicros(t);
                        });
                case "timetz" -> ValueType.typed(opt(OutflowSchemas::offsetTime),
                        (s, sc) -> TemporalText.parseTimetz(s), (rs, i) -> {
                            OffsetTime t = rs.getObject(i, OffsetTime.class);
                            return t == null ? null : TemporalText.offsetTime(t);
                        });
                case "timestamp" -> ValueType.typed(opt(OutflowSchemas::localTimestampMicros),
                        (s, sc) -> TemporalText.parseTimestamp(s), (rs, i) -> {
                            LocalDateTime t = rs.getObject(i, LocalDateTime.class);
                            return t == null ? null : TemporalText.localMicros(t);
                        });
                case "timestamptz" -> ValueType.typed(opt(OutflowSchemas::timestampMicros),
                        (s, sc) -> TemporalText.parseTimestamptz(s), (rs, i) -> {
                            OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                            return t == null ? null : TemporalText.instantMicros(t);
                        });
                case "interval" -> ValueType.fromText(opt(OutflowSchemas::interval),
                        TemporalText::parseInterval);
                case "hstore" -> ValueType.fromText(
                        opt(() -> SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA)),
                        (s, sc) -> HStoreConverter.fromString(s));
                default -> TEXT_TYPES.contains(type.name()) ? text() : text().withUnmapped(type.qualifiedName());
            };
        }

        private ValueType numeric(int typmod) {
            int precision = ColumnDefinition.numericPrecision(typmod);
            int scale = ColumnDefinition.numericScale(typmod);
            if (precision >= 0 && scale >= 0) {
                // numeric(p,s) admits NaN, which no decimal holds: it travels as null, so the field is optional
                // even for a NOT NULL column. The column's scale is fixed, so setScale never rounds.
                // The column reads its value with getObject: in pgjdbc's binary transfer (used once a statement is
                // prepared on the server) that is the exact BigDecimal, where the text form would be printed by
                // pgjdbc only to be parsed again here. NaN comes as a Double.
                return ValueType.typed(any -> decimal(scale, precision), (s, sc) -> {
                    BigDecimal v = ScalarText.decimalOrNull(s);
                    return v == null ? null : v.setScale(scale, RoundingMode.UNNECESSARY);
                }, (rs, i) -> rs.getObject(i) instanceof BigDecimal v ? v.setScale(scale, RoundingMode.UNNECESSARY)
                        : null);
            }
            // Unconstrained (or a negative scale, which Avro decimals cannot express): values have no common
            // scale, so the policy is configured.
            return switch (options.unconstrainedNumeric()) {
                case STRING -> ValueType.fromText(opt(SchemaBuilder::string), (s, sc) -> ScalarText.plainNumeric(s));
                case DOUBLE -> ValueType.fromText(opt(SchemaBuilder::float64), (s, sc) -> Double.parseDouble(s));
                case DECIMAL -> {
                    int fixedScale = options.unconstrainedScale();
                    yield ValueType.fromText(any -> decimal(fixedScale, UNCONSTRAINED_DECIMAL_PRECISION), (s, sc) -> {
                        BigDecimal v = ScalarText.decimalOrNull(s);
                        if (v == null) {
                            return null;
                        }
                        // Half away from zero, as PostgreSQL's own cast to numeric(38,s) rounds.
                        BigDecimal rounded = v.setScale(fixedScale, RoundingMode.HALF_UP);
                        if (rounded.precision() > UNCONSTRAINED_DECIMAL_PRECISION) {
                            throw new DataException("Column \"" + column + "\" holds a numeric with more than "
                                    + UNCONSTRAINED_DECIMAL_PRECISION + " digits at scale " + fixedScale
                                    + ", more than a decimal carries; set numeric.unconstrained.handling=string");
                        }
                        return rounded;
                    });
                }
            };
        }

        private ValueType money(int typmod) {
            int scale = ColumnDefinition.numericScale(typmod);
            return ValueType.fromText(opt(() -> decimalBuilder(scale, MONEY_PRECISION)),
                    (s, sc) -> ScalarText.money(s, scale));
        }

        private ValueType array(PgType type) {
            ValueType element = of(type.element());
            char delimiter = type.element().delimiter();
            ValueType.TextDecoder decoder = (s, sc) -> {
                List<String> parts;
                try {
                    parts = PgText.arrayElements(s, delimiter);
                } catch (DataException e) {
                    throw new DataException("Column \"" + column + "\": " + e.getMessage(), e);
                }
                List<Object> values = new ArrayList<>(parts.size());
                for (String part : parts) {
                    values.add(part == null ? null : element.decoder().decode(part, sc.valueSchema()));
                }
                return values;
            };
            // Elements are optional: PostgreSQL arrays may hold NULLs whatever the column's constraints.
            return ValueType.fromText(opt(() -> SchemaBuilder.array(element.schema().apply(true))), decoder)
                    .withUnmapped(element.unmapped());
        }

        private ValueType range(PgType type) {
            ValueType bound = of(type.element());
            Supplier<SchemaBuilder> builder = () -> SchemaBuilder.struct().name(structName(type))
                    .field(OutflowSchemas.RANGE_LOWER, bound.schema().apply(true))
                    .field(OutflowSchemas.RANGE_UPPER, bound.schema().apply(true))
                    .field(OutflowSchemas.RANGE_LOWER_INCLUSIVE, Schema.BOOLEAN_SCHEMA)
                    .field(OutflowSchemas.RANGE_UPPER_INCLUSIVE, Schema.BOOLEAN_SCHEMA)
                    .field(OutflowSchemas.RANGE_EMPTY, Schema.BOOLEAN_SCHEMA);
            ValueType.TextDecoder decoder = (s, sc) -> {
                PgText.Range r = PgText.range(s);
                Schema boundSchema = sc.field(OutflowSchemas.RANGE_LOWER).schema();
                return new Struct(sc)
                        .put(OutflowSchemas.RANGE_LOWER, r.lower() == null ? null
                                : bound.decoder().decode(r.lower(), boundSchema))
                        .put(OutflowSchemas.RANGE_UPPER, r.upper() == null ? null
                                : bound.decoder().decode(r.upper(), boundSchema))
                        .put(OutflowSchemas.RANGE_LOWER_INCLUSIVE, r.lowerInclusive())
                        .put(OutflowSchemas.RANGE_UPPER_INCLUSIVE, r.upperInclusive())
                        .put(OutflowSchemas.RANGE_EMPTY, r.empty());
            };
            return ValueType.fromText(opt(builder), decoder).withUnmapped(bound.unmapped());
        }

        private ValueType composite(PgType type) {
            Map<String, ValueType> fields = new LinkedHashMap<>();
            Set<String> used = new HashSet<>();
            String unmapped = null;
            for (PgType.Attribute attribute : type.attributes()) {
                String field = uniqueField(AvroNames.sanitize(attribute.name()), used);
                ValueType fieldType = of(attribute.type());
                fields.put(field, fieldType);
                unmapped = unmapped != null ? unmapped : fieldType.unmapped();
            }
            Supplier<SchemaBuilder> builder = () -> {
                SchemaBuilder b = SchemaBuilder.struct().name(structName(type));
                fields.forEach((name, t) -> b.field(name, t.schema().apply(true)));
                return b;
            };
            ValueType.TextDecoder decoder = (s, sc) -> {
                List<String> parts = PgText.recordFields(s);
                if (parts.size() != fields.size()) {
                    throw new DataException("Column \"" + column + "\" of type " + type.qualifiedName() + " has "
                            + parts.size() + " fields, the catalog said " + fields.size()
                            + " (the type changed while reading?)");
                }
                Struct struct = new Struct(sc);
                int i = 0;
                for (Map.Entry<String, ValueType> f : fields.entrySet()) {
                    String part = parts.get(i++);
                    struct.put(f.getKey(), part == null ? null
                            : f.getValue().decoder().decode(part, sc.field(f.getKey()).schema()));
                }
                return struct;
            };
            return ValueType.fromText(opt(builder), decoder).withUnmapped(unmapped);
        }

        private static ValueType text() {
            return ValueType.fromText(opt(SchemaBuilder::string), (s, sc) -> s);
        }
    }

    /** Avro needs record names, unique per definition: the PostgreSQL type's own qualified name is both. */
    private static String structName(PgType type) {
        return AvroNames.fullName(type.schema() + "." + type.name());
    }

    static String uniqueField(String base, Set<String> used) {
        // Two names may sanitize to one ("a b" and "a_b"): suffix until unique, in order, so it is stable.
        String field = base;
        for (int n = 2; !used.add(field); n++) {
            field = base + "_" + n;
        }
        return field;
    }

    private static Schema decimal(int scale, int precision) {
        return decimalBuilder(scale, precision).optional().build();
    }

    private static SchemaBuilder decimalBuilder(int scale, int precision) {
        return Decimal.builder(scale).parameter(DECIMAL_PRECISION_PARAM, Integer.toString(precision));
    }

    /** A schema factory honouring the optional flag. */
    private static Function<Boolean, Schema> opt(Supplier<SchemaBuilder> builder) {
        return optional -> OutflowSchemas.optionalIf(builder.get(), optional);
    }

    private static Object nullIfWasNull(ResultSet rs, Object value) throws SQLException {
        return rs.wasNull() ? null : value;
    }
}
