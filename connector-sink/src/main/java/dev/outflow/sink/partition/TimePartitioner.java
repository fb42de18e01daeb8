package dev.outflow.sink.partition;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.function.LongSupplier;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Hive-style time directories, {@code year=2026/month=02/day=11[/hour=08]}, from the record's timestamp, a field
 * of the record, or the wall clock, in a configured zone.
 */
public final class TimePartitioner implements Partitioner {

    /** How coarse the directories are. */
    public enum Granularity { YEAR, MONTH, DAY, HOUR }

    /** Where the time comes from (Confluent's timestamp.extractor values). */
    public enum Extractor { RECORD, RECORDFIELD, WALLCLOCK }

    private static final String MICROS = "dev.outflow.time.TimestampMicros";
    private static final String LOCAL_MICROS = "dev.outflow.time.LocalTimestampMicros";
    private static final String DEBEZIUM_MICROS = "io.debezium.time.MicroTimestamp";
    private static final String DEBEZIUM_NANOS = "io.debezium.time.NanoTimestamp";

    private final Granularity granularity;
    private final Extractor extractor;
    private final String field;
    private final ZoneId zone;
    private final LongSupplier clock;

    public TimePartitioner(Granularity granularity, Extractor extractor, String field, ZoneId zone,
            LongSupplier clock) {
        this.granularity = granularity;
        this.extractor = extractor;
        this.field = field;
        this.zone = zone;
        this.clock = clock;
    }

    @Override
    public String encodePartition(SinkRecord record) {
        LocalDateTime t = time(record);
        StringBuilder path = new StringBuilder("year=").append(t.getYear());
        if (granularity.compareTo(Granularity.MONTH) >= 0) {
            path.append("/month=").append(twoDigits(t.getMonthValue()));
        }
        if (granularity.compareTo(Granularity.DAY) >= 0) {
            path.append("/day=").append(twoDigits(t.getDayOfMonth()));
        }
        if (granularity == Granularity.HOUR) {
            path.append("/hour=").append(twoDigits(t.getHour()));
        }
        return path.toString();
    }

    private LocalDateTime time(SinkRecord record) {
        return switch (extractor) {
            case WALLCLOCK -> LocalDateTime.ofInstant(Instant.ofEpochMilli(clock.getAsLong()), zone);
            case RECORD -> {
                if (record.timestamp() == null) {
                    throw new DataException("Record " + where(record) + " has no timestamp to partition by; use "
                            + "timestamp.extractor=RecordField or Wallclock");
                }
                yield LocalDateTime.ofInstant(Instant.ofEpochMilli(record.timestamp()), zone);
            }
            case RECORDFIELD -> fieldTime(record);
        };
    }

    private LocalDateTime fieldTime(SinkRecord record) {
        Field f = RecordFields.field(record, field);
        Object v = RecordFields.value(record, field);
        if (v == null) {
            throw new DataException("Field \"" + field + "\" of record " + where(record) + " is null: there is no "
                    + "time to partition by");
        }
        String name = f.schema().name();
        if (v instanceof Date d) {
            return LocalDateTime.ofInstant(d.toInstant(), zone);
        }
        if (v instanceof Long n) {
            if (LOCAL_MICROS.equals(name)) {
                // A wall-clock time without zone: its directories are its own date and hour, not shifted.
                return LocalDateTime.ofEpochSecond(Math.floorDiv(n, 1_000_000L),
                        (int) Math.floorMod(n, 1_000_000L) * 1000, ZoneOffset.UTC);
            }
            Instant instant = MICROS.equals(name) || DEBEZIUM_MICROS.equals(name)
                    ? Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000L), Math.floorMod(n, 1_000_000L) * 1000)
                    : DEBEZIUM_NANOS.equals(name)
                            ? Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L))
                            : Instant.ofEpochMilli(n); // plain long or io.debezium.time.Timestamp: milliseconds
            return LocalDateTime.ofInstant(instant, zone);
        }
        if (v instanceof String s) {
            try {
                return LocalDateTime.ofInstant(Instant.parse(s), zone);
            } catch (DateTimeParseException e) {
                throw new DataException("Field \"" + field + "\" of record " + where(record) + " is not an ISO-8601 "
                        + "instant (" + e.getMessage() + ")");
            }
        }
        throw new DataException("Field \"" + field + "\" of record " + where(record) + " has type "
                + f.schema().type() + (name == null ? "" : " (" + name + ")") + ", which is not a time; use a "
                + "timestamp, date, epoch-millisecond long or ISO-8601 string field");
    }

    private static String twoDigits(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private static String where(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

}
