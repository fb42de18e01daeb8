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
 * The nodes {@link RecordConverter} is made of: one per Connect schema in the tree, each knowing, from the
 * schemas alone, how to turn a Connect value into the Avro value parquet-avro expects for its logical type, and
 * how many bytes that value adds to a Parquet writer's buffers. The rules are those of {@link AvroSchemas}: keep
 * the two in step.
 */
final class ValueConverters {

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();
    /** Size estimate of a number or boolean, and of a null. */
    private static final int SCALAR_BYTES = 8;
    private static final int NULL_BYTES = 1;
    /** Size estimate of a length prefix (strings, byte arrays, lists, maps). */
    private static final int LENGTH_BYTES = 4;

    private ValueConverters() {
    }

    /** The running size estimate of one record being converted. */
    static final class Size {
        long bytes;
    }

    /** Converts a non-null value, adding its size estimate. */
    @FunctionalInterface
    private interface NonNull {
        Object convert(Object value, Size size);
    }

    /** A converter for the values of one Connect schema: handles null, then delegates. */
    static final class Node {
        private final boolean optional;
        private final String description;
        private final NonNull body;

        private Node(org.apache.kafka.connect.data.Schema s, NonNull body) {
            this.optional = s.isOptional();
            this.description = s.type() + (s.name() == null ? "" : " (" + s.name() + ")");
            this.body = body;
        }

        Object convert(Object value, Size size) {
            if (value == null) {
                if (!optional) {
                    throw new DataException("null in a required field of type " + description);
                }
                size.bytes += NULL_BYTES;
                return null;
            }
            return body.convert(value, size);
        }
    }

    /** The converter for values of {@code s} into {@code avro}, the schema {@link AvroSchemas} made for it. */
    static Node build(org.apache.kafka.connect.data.Schema s, Schema avro) {
        Schema nonNull = avro.isUnion() ? avro.getTypes().get(1) : avro;
        return new Node(s, body(s, nonNull));
    }

    private static NonNull body(org.apache.kafka.connect.data.Schema s, Schema avro) {
        NonNull logical = s.name() == null ? null : logical(s.name(), avro);
        if (logical != null) {
            return logical;
        }
        return switch (s.type()) {
            case INT8 -> (v, size) -> scalar(((Byte) v).intValue(), size);
            case INT16 -> (v, size) -> scalar(((Short) v).intValue(), size);
            case BOOLEAN, INT32, INT64, FLOAT32, FLOAT64 -> ValueConverters::scalar;
            case STRING -> (v, size) -> {
                size.bytes += v instanceof CharSequence text ? LENGTH_BYTES + text.length() : SCALAR_BYTES;
                return v;
            };
            case BYTES -> (v, size) -> {
                byte[] b = bytes(v);
                size.bytes += LENGTH_BYTES + b.length;
                return ByteBuffer.wrap(b);
            };
            case ARRAY -> array(s, avro);
            case MAP -> avro.getType() == Schema.Type.MAP ? map(s, avro) : entryList(s, avro);
            case STRUCT -> struct(s, avro);
        };
    }

    /** The converter for a named (logical) type, or null when the name has no rule of its own. */
    private static NonNull logical(String name, Schema avro) {
        return switch (name) {
            case Decimal.LOGICAL_NAME -> decimal(avro);
            case Date.LOGICAL_NAME -> (v, size) -> scalar(
                    Math.toIntExact(Math.floorDiv(((java.util.Date) v).getTime(), MILLIS_PER_DAY)), size);
            case Time.LOGICAL_NAME -> (v, size) -> scalar((int) ((java.util.Date) v).getTime(), size);
            case Timestamp.LOGICAL_NAME -> (v, size) -> scalar(((java.util.Date) v).getTime(), size);
            // nanoseconds -> microseconds
            case LogicalTypeNames.DBZ_NANO_TIME, LogicalTypeNames.DBZ_NANO_TIMESTAMP ->
                    (v, size) -> scalar(Math.floorDiv((Long) v, 1_000L), size);
            case LogicalTypeNames.DBZ_ZONED_TIMESTAMP -> (v, size) -> {
                Instant instant = OffsetDateTime.parse((String) v).toInstant();
                return scalar(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                        instant.getNano() / 1_000L), size);
            };
            case LogicalTypeNames.DBZ_VARIABLE_SCALE_DECIMAL -> (v, size) -> {
                Struct value = (Struct) v;
                String text = new BigDecimal(new java.math.BigInteger(bytes(value.get("value"))),
                        value.getInt32("scale")).toPlainString();
                size.bytes += LENGTH_BYTES + text.length();
                return text;
            };
            // Other names (our micro-precision longs, uuid strings, ...) travel as their plain type.
            default -> null;
        };
    }

    private static Object scalar(Object value, Size size) {
        size.bytes += SCALAR_BYTES;
        return value;
    }

    private static NonNull decimal(Schema avro) {
        LogicalTypes.Decimal logical = (LogicalTypes.Decimal) avro.getLogicalType();
        int scale = logical.getScale();
        return (v, size) -> {
            ByteBuffer bytes;
            try {
                // Connect decimals of one schema share its scale, so this never rounds a valid value.
                BigDecimal decimal = ((BigDecimal) v).setScale(scale, RoundingMode.UNNECESSARY);
                bytes = DECIMALS.toBytes(decimal, avro, logical);
            } catch (ArithmeticException | org.apache.avro.AvroTypeException e) {
                throw new DataException("a decimal of scale " + ((BigDecimal) v).scale() + " and precision "
                        + ((BigDecimal) v).precision() + " does not fit the column's decimal("
                        + logical.getPrecision() + "," + scale + ")", e);
            }
            size.bytes += LENGTH_BYTES + bytes.remaining();
            return bytes;
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

    private static NonNull array(org.apache.kafka.connect.data.Schema s, Schema avro) {
        Node element = build(s.valueSchema(), avro.getElementType());
        return (v, size) -> {
            List<?> values = (List<?>) v;
            List<Object> out = new ArrayList<>(values.size());
            size.bytes += LENGTH_BYTES;
            for (Object e : values) {
                out.add(element.convert(e, size));
            }
            return out;
        };
    }

    private static NonNull map(org.apache.kafka.connect.data.Schema s, Schema avro) {
        Node value = build(s.valueSchema(), avro.getValueType());
        return (v, size) -> {
            Map<?, ?> values = (Map<?, ?>) v;
            Map<String, Object> out = new HashMap<>(values.size() * 2);
            size.bytes += LENGTH_BYTES;
            values.forEach((k, e) -> {
                String key = (String) k;
                size.bytes += LENGTH_BYTES + key.length();
                out.put(key, value.convert(e, size));
            });
            return out;
        };
    }

    /** Avro maps only have string keys; other maps become a list of key/value records (see AvroSchemas). */
    private static NonNull entryList(org.apache.kafka.connect.data.Schema s, Schema avro) {
        Schema entrySchema = avro.getElementType();
        Node key = build(s.keySchema(), entrySchema.getField("key").schema());
        Node value = build(s.valueSchema(), entrySchema.getField("value").schema());
        return (v, size) -> {
            Map<?, ?> values = (Map<?, ?>) v;
            List<Object> entries = new ArrayList<>(values.size());
            size.bytes += LENGTH_BYTES;
            values.forEach((k, e) -> {
                GenericData.Record entry = new GenericData.Record(entrySchema);
                entry.put(0, key.convert(k, size));
                entry.put(1, value.convert(e, size));
                entries.add(entry);
            });
            return entries;
        };
    }

    private static NonNull struct(org.apache.kafka.connect.data.Schema s, Schema avro) {
        Field[] fields = s.fields().toArray(new Field[0]);
        Node[] nodes = new Node[fields.length];
        for (int i = 0; i < fields.length; i++) {
            // AvroSchemas keeps the Connect field order, so field i is Avro field i.
            nodes[i] = build(fields[i].schema(), avro.getFields().get(i).schema());
        }
        return (v, size) -> {
            Struct struct = (Struct) v;
            GenericData.Record record = new GenericData.Record(avro);
            for (int i = 0; i < fields.length; i++) {
                try {
                    record.put(i, nodes[i].convert(struct.get(fields[i]), size));
                } catch (DataException e) {
                    throw new DataException("field \"" + fields[i].name() + "\": " + e.getMessage(), e);
                }
            }
            return record;
        };
    }
}
