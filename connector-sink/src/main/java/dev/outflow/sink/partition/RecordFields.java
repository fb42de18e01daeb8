package dev.outflow.sink.partition;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/** Looks up a (possibly nested, dot-separated) field of a record's struct value. */
final class RecordFields {

    private RecordFields() {
    }

    /** The field's value (null when the field or a parent struct is null); fails when the field does not exist. */
    static Object value(SinkRecord record, String path) {
        Field field = field(record, path);
        Object current = record.value();
        for (String part : path.split("\\.")) {
            if (current == null) {
                return null;
            }
            current = ((Struct) current).get(part);
        }
        return field == null ? null : current;
    }

    /** The field's schema entry; fails with a message naming the field and the record when it does not exist. */
    static Field field(SinkRecord record, String path) {
        if (!(record.value() instanceof Struct struct)) {
            throw new DataException("Cannot partition by field \"" + path + "\": record " + record.topic() + "-"
                    + record.kafkaPartition() + "@" + record.kafkaOffset() + " has no struct value");
        }
        org.apache.kafka.connect.data.Schema schema = struct.schema();
        Field field = null;
        for (String part : path.split("\\.")) {
            field = schema.type() == org.apache.kafka.connect.data.Schema.Type.STRUCT ? schema.field(part) : null;
            if (field == null) {
                throw new DataException("Cannot partition by field \"" + path + "\": record " + record.topic() + "-"
                        + record.kafkaPartition() + "@" + record.kafkaOffset() + " has no such field. Check "
                        + "partition.field.name / timestamp.field against the record schema");
            }
            schema = field.schema();
        }
        return field;
    }
}
