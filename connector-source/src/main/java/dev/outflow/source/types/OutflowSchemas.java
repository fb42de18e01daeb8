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
    /** A {@code timetz}: ISO-8601 local time and offset, e.g. {@code 10:15:30.123456+02:00}. */
    public static final String OFFSET_TIME = "dev.outflow.time.OffsetTime";
    /**
     * An {@code interval}: a struct of months, days and microseconds, the three parts PostgreSQL keeps apart
     * (a month is not a fixed number of days, nor a day of microseconds across DST changes).
     */
    public static final String INTERVAL = "dev.outflow.time.Interval";
    public static final String INTERVAL_MONTHS = "months";
    public static final String INTERVAL_DAYS = "days";
    public static final String INTERVAL_MICROS = "microseconds";

    /** Names of a range struct's fields; a null bound is an unbounded (infinite) side. */
    public static final String RANGE_LOWER = "lower";
    public static final String RANGE_UPPER = "upper";
    public static final String RANGE_LOWER_INCLUSIVE = "lower_inclusive";
    public static final String RANGE_UPPER_INCLUSIVE = "upper_inclusive";
    public static final String RANGE_EMPTY = "empty";

    /**
     * {@code date 'infinity'} / {@code '-infinity'}: days since 1970 of Integer.MAX_VALUE / -Integer.MAX_VALUE,
     * the values DuckDB (and Parquet readers that follow it) read back as {@code infinity}/{@code -infinity}.
     */
    public static final int DATE_INFINITY = Integer.MAX_VALUE;
    public static final int DATE_MINUS_INFINITY = -Integer.MAX_VALUE;
    /** {@code timestamp[tz] 'infinity'} / {@code '-infinity'}: Long.MAX_VALUE / -Long.MAX_VALUE microseconds. */
    public static final long TIMESTAMP_INFINITY = Long.MAX_VALUE;
    public static final long TIMESTAMP_MINUS_INFINITY = -Long.MAX_VALUE;

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

    public static SchemaBuilder offsetTime() {
        return SchemaBuilder.string().name(OFFSET_TIME).version(1);
    }

    public static SchemaBuilder interval() {
        return SchemaBuilder.struct().name(INTERVAL).version(1)
                .field(INTERVAL_MONTHS, Schema.INT32_SCHEMA)
                .field(INTERVAL_DAYS, Schema.INT32_SCHEMA)
                .field(INTERVAL_MICROS, Schema.INT64_SCHEMA);
    }

    static Schema optionalIf(SchemaBuilder builder, boolean optional) {
        return optional ? builder.optional().build() : builder.build();
    }
}
