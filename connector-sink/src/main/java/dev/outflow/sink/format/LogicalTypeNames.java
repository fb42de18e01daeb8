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

    /** Parameter Connect's Avro converters use for a decimal's precision. */
    static final String DECIMAL_PRECISION = "connect.decimal.precision";

    private LogicalTypeNames() {
    }
}
