package dev.outflow.sink.format;

import java.util.ArrayList;
import java.util.List;

import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** Corrections to the Parquet schema parquet-avro derives from an Avro schema. */
final class ParquetSchemas {

    private ParquetSchemas() {
    }

    /**
     * parquet-avro annotates Avro's {@code time-millis}/{@code time-micros} as TIME with isAdjustedToUTC=true, so
     * readers show a time of day as "time with time zone". Avro defines them as a time of day with no zone (what
     * PostgreSQL's {@code time} is), so they are re-annotated as local times. Only the annotation changes; the
     * stored values are the same.
     */
    static MessageType withLocalTimes(MessageType schema) {
        return new MessageType(schema.getName(), fix(schema.getFields()));
    }

    private static List<Type> fix(List<Type> fields) {
        List<Type> fixed = new ArrayList<>(fields.size());
        for (Type field : fields) {
            fixed.add(fix(field));
        }
        return fixed;
    }

    private static Type fix(Type type) {
        if (!type.isPrimitive()) {
            GroupType group = type.asGroupType();
            return group.withNewFields(fix(group.getFields()));
        }
        LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
        if (annotation instanceof TimeLogicalTypeAnnotation time && time.isAdjustedToUTC()) {
            return type.asPrimitiveType().withLogicalTypeAnnotation(
                    LogicalTypeAnnotation.timeType(false, time.getUnit()));
        }
        return type;
    }
}
