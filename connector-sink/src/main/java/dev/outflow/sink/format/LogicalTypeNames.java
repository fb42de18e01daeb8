package dev.outflow.sink.format;

/**
 * Connect schema names the sink gives a Parquet logical type to, beyond Connect's own logical types. The
 * {@code dev.outflow.*} names are the contract with outflow's source connector (docs/types.md); they are
 * repeated here on purpose, so the sink does not depend on the source's code.
 */
final class LogicalTypeNames {
    static final String TIMESTAMP_MICROS = "dev.outflow.time.TimestampMicros";
    static final String LOCAL_TIMESTAMP_MICROS = "dev.outflow.time.LocalTimestampMicros";
    static final String TIME_MICROS = "dev.outflow.time.TimeMicros";
    static final String UUID = "dev.outflow.data.Uuid";

    // Debezium's semantic types, as produced after its ExtractNewRecordState transform.
    static final String DBZ_DATE = "io.debezium.time.Date";
    static final String DBZ_TIME = "io.debezium.time.Time";
    static final String DBZ_MICRO_TIME = "io.debezium.time.MicroTime";
    static final String DBZ_NANO_TIME = "io.debezium.time.NanoTime";
    static final String DBZ_TIMESTAMP = "io.debezium.time.Timestamp";
    static final String DBZ_MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    static final String DBZ_NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
    static final String DBZ_ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    static final String DBZ_UUID = "io.debezium.data.Uuid";
    static final String DBZ_VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

    /** Parameter Connect's Avro converters use for a decimal's precision. */
    static final String DECIMAL_PRECISION = "connect.decimal.precision";

    private LogicalTypeNames() {
    }
}
