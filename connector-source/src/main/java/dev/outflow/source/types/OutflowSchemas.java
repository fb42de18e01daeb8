package dev.outflow.source.types;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Named Connect schemas for values Connect's built-in logical types cannot carry exactly. Connect's Timestamp
 * and Time are milliseconds; PostgreSQL keeps microseconds, so time values travel as INT64 microseconds under
 * these names. The names are a wire contract with the sink (and any consumer): they survive the Avro converter
 * as {@code connect.name}. See docs/types.md.
 */
public final class OutflowSchemas {

    /** A {@code timestamptz}: microseconds since 1970-01-01T00:00:00Z (an instant). */
    public static final String TIMESTAMP_MICROS = "dev.outflow.time.TimestampMicros";
    /** A {@code timestamp without time zone}: microseconds since 1970-01-01T00:00:00 of the wall clock, no zone. */
    public static final String LOCAL_TIMESTAMP_MICROS = "dev.outflow.time.LocalTimestampMicros";
    /** A {@code time}: microseconds since midnight. */
    public static final String TIME_MICROS = "dev.outflow.time.TimeMicros";
    /** A {@code uuid} in its canonical text form. */
    public static final String UUID = "dev.outflow.data.Uuid";
    /** A {@code json}/{@code jsonb} document as text. */
    public static final String JSON = "dev.outflow.data.Json";

    private OutflowSchemas() {
    }

    public static SchemaBuilder timestampMicros() {
        return SchemaBuilder.int64().name(TIMESTAMP_MICROS).version(1);
    }

    public static SchemaBuilder localTimestampMicros() {
        return SchemaBuilder.int64().name(LOCAL_TIMESTAMP_MICROS).version(1);
    }

    public static SchemaBuilder timeMicros() {
        return SchemaBuilder.int64().name(TIME_MICROS).version(1);
    }

    public static SchemaBuilder uuid() {
        return SchemaBuilder.string().name(UUID).version(1);
    }

    public static SchemaBuilder json() {
        return SchemaBuilder.string().name(JSON).version(1);
    }

    static Schema optionalIf(SchemaBuilder builder, boolean optional) {
        return optional ? builder.optional().build() : builder.build();
    }
}
