package dev.outflow.sink.format;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * The reference conversion of Connect values to the Avro values of the schema {@link AvroSchemas} made for them:
 * a plain walk of the Connect schema and the Avro schema together, per value. The sink used it until
 * {@link RecordConverter} (the same rules, compiled once per schema) replaced it on the hot path; it stays as the
 * test oracle RecordConverterTest compares the compiled converter against.
 */
public final class AvroValues {

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private AvroValues() {
    }

    public static GenericData.Record toRecord(Struct struct, Schema avroSchema) {
        return (GenericData.Record) convert(struct.schema(), struct, avroSchema);
    }

    private static Object convert(org.apache.kafka.connect.data.Schema s, Object value, Schema avro) {
        if (value == null) {
            if (!s.isOptional()) {
                throw new DataException("null in a required field of type " + s.type()
                        + (s.name() == null ? "" : " (" + s.name() + ")"));
            }
            return null;
        }
        if (avro.isUnion()) {
            avro = avro.getTypes().get(1);
        }
        String name = s.name();
        if (name != null) {
            switch (name) {
                case Decimal.LOGICAL_NAME -> {
                    LogicalTypes.Decimal logical = (LogicalTypes.Decimal) avro.getLogicalType();
                    BigDecimal decimal = ((BigDecimal) value).setScale(logical.getScale(), RoundingMode.UNNECESSARY);
                    return DECIMALS.toBytes(decimal, avro, logical);
                }
                case Date.LOGICAL_NAME -> {
                    return Math.toIntExact(Math.floorDiv(((java.util.Date) value).getTime(), MILLIS_PER_DAY));
                }
                case Time.LOGICAL_NAME -> {
                    return (int) ((java.util.Date) value).getTime();
                }
                case Timestamp.LOGICAL_NAME -> {
                    return ((java.util.Date) value).getTime();
                }
                case LogicalTypeNames.DBZ_NANO_TIME, LogicalTypeNames.DBZ_NANO_TIMESTAMP -> {
                    return Math.floorDiv((Long) value, 1_000L); // nanoseconds -> microseconds
                }
                case LogicalTypeNames.DBZ_ZONED_TIMESTAMP -> {
                    Instant instant = OffsetDateTime.parse((String) value).toInstant();
                    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                            instant.getNano() / 1_000L);
                }
                case LogicalTypeNames.DBZ_VARIABLE_SCALE_DECIMAL -> {
                    Struct v = (Struct) value;
                    byte[] unscaled = bytes(v.get("value"));
                    return new BigDecimal(new java.math.BigInteger(unscaled), v.getInt32("scale")).toPlainString();
                }
                default -> {
                    // Named types carried as their plain type (our micro-precision longs, uuid strings, ...).
                }
            }
        }
        return switch (s.type()) {
            case INT8 -> ((Byte) value).intValue();
            case INT16 -> ((Short) value).intValue();
            case BOOLEAN, INT32, INT64, FLOAT32, FLOAT64, STRING -> value;
            case BYTES -> ByteBuffer.wrap(bytes(value));
            case ARRAY -> array(s, (List<?>) value, avro);
            case MAP -> map(s, (Map<?, ?>) value, avro);
            case STRUCT -> struct((Struct) value, avro);
        };
    }

    /** BYTES arrive as byte[] from most converters and as ByteBuffer from the Avro converter. */
    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] b = new byte[buffer.remaining()];
        buffer.get(b);
        return b;
    }

    private static List<Object> array(org.apache.kafka.connect.data.Schema s, List<?> values, Schema avro) {
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(convert(s.valueSchema(), v, avro.getElementType()));
        }
        return out;
    }

    private static Object map(org.apache.kafka.connect.data.Schema s, Map<?, ?> values, Schema avro) {
        if (avro.getType() == Schema.Type.MAP) {
            Map<String, Object> out = new HashMap<>(values.size() * 2);
            values.forEach((k, v) -> out.put((String) k, convert(s.valueSchema(), v, avro.getValueType())));
            return out;
        }
        Schema entrySchema = avro.getElementType();
        List<Object> entries = new ArrayList<>(values.size());
        values.forEach((k, v) -> {
            GenericData.Record entry = new GenericData.Record(entrySchema);
            entry.put(0, convert(s.keySchema(), k, entrySchema.getField("key").schema()));
            entry.put(1, convert(s.valueSchema(), v, entrySchema.getField("value").schema()));
            entries.add(entry);
        });
        return entries;
    }

    private static GenericData.Record struct(Struct struct, Schema avro) {
        GenericData.Record record = new GenericData.Record(avro);
        List<Field> fields = struct.schema().fields();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            try {
                record.put(i, convert(f.schema(), struct.get(f), avro.getFields().get(i).schema()));
            } catch (DataException e) {
                throw new DataException("field \"" + f.name() + "\": " + e.getMessage(), e);
            }
        }
        return record;
    }
}
