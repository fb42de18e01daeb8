package dev.outflow.sink.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts Connect schemas to the Avro schemas parquet-avro writes from. Logical types are kept (decimal, date,
 * time, timestamps, uuid) so readers see typed columns, not strings or bare numbers. Results are cached: a topic
 * carries few distinct schemas, and the conversion runs once per schema, not per record.
 */
public final class AvroSchemas {

    /** Decimal precision used when the producer did not say (Parquet needs one); 38 is what readers support. */
    static final int DEFAULT_DECIMAL_PRECISION = 38;

    private final Map<org.apache.kafka.connect.data.Schema, RecordConverter> cache = new HashMap<>();
    // Connect schemas hash and compare deeply, without caching; converters hand out the same instance for the
    // same schema, so an identity lookup answers almost every call without that cost.
    private final Map<org.apache.kafka.connect.data.Schema, RecordConverter> byIdentity =
            new java.util.IdentityHashMap<>();
    // The last answer: a topic's records almost always share one schema instance, and this is asked per record.
    private org.apache.kafka.connect.data.Schema lastSchema;
    private RecordConverter last;

    /** The Avro record schema for a Connect struct schema (the value schema of a topic). */
    public Schema recordSchema(org.apache.kafka.connect.data.Schema connectSchema) {
        return converter(connectSchema).avroSchema();
    }

    /**
     * The converter of values of a Connect struct schema to records of {@link #recordSchema}, built once per
     * schema. Like this object, it belongs to one task's thread.
     */
    public RecordConverter converter(org.apache.kafka.connect.data.Schema connectSchema) {
        if (connectSchema == lastSchema) {
            return last;
        }
        if (connectSchema.type() != org.apache.kafka.connect.data.Schema.Type.STRUCT) {
            throw new DataException("Parquet rows need a STRUCT value schema, got " + connectSchema.type());
        }
        RecordConverter known = byIdentity.get(connectSchema);
        if (known == null) {
            known = cache.computeIfAbsent(connectSchema, s -> {
                Schema converted = convert(s, "Row", new NameScope());
                // The top level is never null: null values are tombstones and never reach a file.
                return new RecordConverter(s, converted.isUnion() ? converted.getTypes().get(1) : converted);
            });
            if (byIdentity.size() >= 1_000) {
                byIdentity.clear(); // a converter that builds a new schema object per record: do not grow forever
            }
            byIdentity.put(connectSchema, known);
        }
        lastSchema = connectSchema;
        last = known;
        return known;
    }

    private Schema convert(org.apache.kafka.connect.data.Schema s, String path, NameScope names) {
        Schema avro = nonNull(s, path, names);
        return s.isOptional() ? Schema.createUnion(Schema.create(Schema.Type.NULL), avro) : avro;
    }

    private Schema nonNull(org.apache.kafka.connect.data.Schema s, String path, NameScope names) {
        String name = s.name();
        if (name != null) {
            switch (name) {
                case Decimal.LOGICAL_NAME -> {
                    int scale = Integer.parseInt(s.parameters().get(Decimal.SCALE_FIELD));
                    String p = s.parameters().get(LogicalTypeNames.DECIMAL_PRECISION);
                    int precision = p == null ? Math.max(DEFAULT_DECIMAL_PRECISION, scale) : Integer.parseInt(p);
                    return LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
                }
                case Date.LOGICAL_NAME -> {
                    return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
                }
                case Time.LOGICAL_NAME -> {
                    return LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT));
                }
                case Timestamp.LOGICAL_NAME -> {
                    return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
                }
                case LogicalTypeNames.TIMESTAMP_MICROS -> {
                    return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
                }
                case LogicalTypeNames.LOCAL_TIMESTAMP_MICROS -> {
                    return LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
                }
                case LogicalTypeNames.TIME_MICROS -> {
                    return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
                }
                case LogicalTypeNames.UUID, LogicalTypeNames.DBZ_UUID -> {
                    return LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
                }
                case LogicalTypeNames.DBZ_DATE -> {
                    return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
                }
                case LogicalTypeNames.DBZ_TIME -> {
                    return LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT));
                }
                case LogicalTypeNames.DBZ_MICRO_TIME, LogicalTypeNames.DBZ_NANO_TIME -> {
                    return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
                }
                case LogicalTypeNames.DBZ_TIMESTAMP -> {
                    // Debezium's Timestamp/MicroTimestamp/NanoTimestamp carry a timestamp without zone.
                    return LogicalTypes.localTimestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
                }
                case LogicalTypeNames.DBZ_MICRO_TIMESTAMP, LogicalTypeNames.DBZ_NANO_TIMESTAMP -> {
                    return LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
                }
                case LogicalTypeNames.DBZ_ZONED_TIMESTAMP -> {
                    return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
                }
                case LogicalTypeNames.DBZ_VARIABLE_SCALE_DECIMAL -> {
                    // Values of one column have different scales: no single Parquet decimal fits, the exact
                    // decimal text does.
                    return Schema.create(Schema.Type.STRING);
                }
                default -> {
                    // Any other name: the plain type below.
                }
            }
        }
        return switch (s.type()) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case INT8, INT16, INT32 -> Schema.create(Schema.Type.INT);
            case INT64 -> Schema.create(Schema.Type.LONG);
            case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
            case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
            case STRING -> Schema.create(Schema.Type.STRING);
            case BYTES -> Schema.create(Schema.Type.BYTES);
            case ARRAY -> Schema.createArray(convert(s.valueSchema(), path + "_element", names));
            case MAP -> map(s, path, names);
            case STRUCT -> record(s, path, names);
        };
    }

    private Schema map(org.apache.kafka.connect.data.Schema s, String path, NameScope names) {
        if (s.keySchema().type() == org.apache.kafka.connect.data.Schema.Type.STRING && !s.keySchema().isOptional()) {
            return Schema.createMap(convert(s.valueSchema(), path + "_value", names));
        }
        // Avro maps only have string keys; other maps become a list of key/value records.
        Schema entry = SchemaBuilder.record(names.unique(path + "_entry")).fields()
                .name("key").type(convert(s.keySchema(), path + "_key", names)).noDefault()
                .name("value").type(convert(s.valueSchema(), path + "_value", names)).noDefault()
                .endRecord();
        return Schema.createArray(entry);
    }

    private Schema record(org.apache.kafka.connect.data.Schema s, String path, NameScope names) {
        String recordName = names.unique(s.name() == null ? path : simpleName(s.name()));
        List<Schema.Field> fields = new ArrayList<>();
        for (Field f : s.fields()) {
            Schema fieldSchema = convert(f.schema(), recordName + "_" + f.name(), names);
            Object defaultValue = fieldSchema.isUnion() ? Schema.Field.NULL_DEFAULT_VALUE : null;
            fields.add(new Schema.Field(f.name(), fieldSchema, null, defaultValue));
        }
        return Schema.createRecord(recordName, null, namespace(s.name()), false, fields);
    }

    private static String simpleName(String fullName) {
        String simple = fullName.substring(fullName.lastIndexOf('.') + 1);
        return AvroNames.valid(simple);
    }

    private static String namespace(String fullName) {
        if (fullName == null || fullName.lastIndexOf('.') < 0) {
            return null;
        }
        return AvroNames.validDotted(fullName.substring(0, fullName.lastIndexOf('.')));
    }

    /** Record names must be unique within one Avro schema; nested records get a suffix when they collide. */
    private static final class NameScope {
        private final Map<String, Integer> seen = new HashMap<>();

        String unique(String candidate) {
            String valid = AvroNames.valid(candidate);
            int n = seen.merge(valid, 1, Integer::sum);
            return n == 1 ? valid : valid + "_" + n;
        }
    }
}
