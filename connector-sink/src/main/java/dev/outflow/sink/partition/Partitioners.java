package dev.outflow.sink.partition;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

import dev.outflow.sink.config.ParquetSinkConfig;

/** Builds the configured partitioner; accepts Confluent's class names so configs migrate as they are. */
public final class Partitioners {

    public static final String DEFAULT = "default";
    public static final String NONE = "none";
    public static final List<String> NAMES = List.of(DEFAULT, NONE, "field", "time", "field_time");

    private static final String CONFLUENT = "io.confluent.connect.storage.partitioner.";
    private static final Map<String, String> ALIASES = Map.of(
            CONFLUENT + "DefaultPartitioner", DEFAULT,
            CONFLUENT + "FieldPartitioner", "field",
            CONFLUENT + "TimeBasedPartitioner", "time",
            CONFLUENT + "DailyPartitioner", "time",
            CONFLUENT + "HourlyPartitioner", "time");

    private Partitioners() {
    }

    /** Our name for a configured value, or null when it names no partitioner. */
    public static String canonical(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (NAMES.contains(v)) {
            return v;
        }
        return ALIASES.get(v);
    }

    public static Partitioner create(ParquetSinkConfig config) {
        String name = config.partitionerName();
        if (name.equals(DEFAULT)) {
            return new KafkaPartitioner();
        }
        if (name.equals(NONE)) {
            return new FlatPartitioner();
        }
        boolean fields = name.startsWith("field");
        boolean time = name.endsWith("time");
        if (fields && config.partitionFields().isEmpty()) {
            throw new ConfigException(ParquetSinkConfig.PARTITION_FIELD_NAME, "",
                    "partitioner.class=" + name + " needs at least one field name");
        }
        Partitioner fieldPart = fields ? new FieldPartitioner(config.partitionFields()) : null;
        Partitioner timePart = time ? new TimePartitioner(granularity(config), extractor(config),
                config.timestampField(), config.timezone(), System::currentTimeMillis) : null;
        if (fieldPart != null && timePart != null) {
            return new CompositePartitioner(List.of(fieldPart, timePart));
        }
        return fieldPart != null ? fieldPart : timePart;
    }

    private static TimePartitioner.Granularity granularity(ParquetSinkConfig config) {
        String original = config.originalsStrings().getOrDefault(ParquetSinkConfig.PARTITIONER_CLASS, "");
        // Confluent's Daily/Hourly partitioners fix the granularity in their name.
        if (original.endsWith("HourlyPartitioner")) {
            return TimePartitioner.Granularity.HOUR;
        }
        if (original.endsWith("DailyPartitioner")) {
            return TimePartitioner.Granularity.DAY;
        }
        return TimePartitioner.Granularity.valueOf(config.partitionGranularity().toUpperCase(java.util.Locale.ROOT));
    }

    private static TimePartitioner.Extractor extractor(ParquetSinkConfig config) {
        return TimePartitioner.Extractor.valueOf(config.timestampExtractor());
    }
}
