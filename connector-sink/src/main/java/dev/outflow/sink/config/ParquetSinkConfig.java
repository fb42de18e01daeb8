package dev.outflow.sink.config;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every configuration key of the Parquet sink connector. Names follow Confluent's S3 sink where the meaning is
 * the same, so users migrating from it recognise them.
 */
public final class ParquetSinkConfig extends AbstractConfig {

    public static final String GROUP_STORAGE = "Storage";
    public static final String GROUP_FORMAT = "Format";
    public static final String GROUP_ROTATION = "Rotation";
    public static final String GROUP_ERRORS = "Errors";

    public static final String STORAGE_TYPE = "storage.type";
    public static final String STORAGE_LOCAL = "local";
    public static final String LOCAL_DIR = "local.dir";
    public static final String TOPICS_DIR = "topics.dir";
    public static final String FILENAME_OFFSET_ZERO_PAD_WIDTH = "filename.offset.zero.pad.width";

    public static final String PARQUET_CODEC = "parquet.codec";

    public static final String FLUSH_SIZE = "flush.size";
    public static final String ROTATE_SCHEDULE_INTERVAL_MS = "rotate.schedule.interval.ms";

    public static final String BEHAVIOR_ON_NULL_VALUES = "behavior.on.null.values";
    public static final String NULL_VALUES_IGNORE = "ignore";
    public static final String NULL_VALUES_FAIL = "fail";

    public static final ConfigDef CONFIG_DEF = configDef();

    public ParquetSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(STORAGE_TYPE, Type.STRING, STORAGE_LOCAL, ConfigDef.ValidString.in(STORAGE_LOCAL),
                Importance.HIGH,
                "Where files are written. local: a directory on the Connect worker's file system (local.dir).",
                GROUP_STORAGE, ++order, Width.SHORT, "Storage type", new FixedRecommender(List.of(STORAGE_LOCAL)));
        def.define(LOCAL_DIR, Type.STRING, null, Importance.HIGH,
                "Directory files are written under when storage.type=local. Created if missing; must be writable "
                        + "by the worker and on one file system (files are published by an atomic rename).",
                GROUP_STORAGE, ++order, Width.LONG, "Local directory");
        def.define(TOPICS_DIR, Type.STRING, "topics", new RelativePathValidator(), Importance.MEDIUM,
                "Top-level directory (or key prefix) under which each topic's files are written: "
                        + "<topics.dir>/<table>/partition=<kafkaPartition>/<table>+<kafkaPartition>+<startOffset>"
                        + ".<codec>.parquet. Empty writes tables directly under the root.",
                GROUP_STORAGE, ++order, Width.MEDIUM, "Topics directory");
        def.define(FILENAME_OFFSET_ZERO_PAD_WIDTH, Type.INT, 10, ConfigDef.Range.between(1, 19),
                Importance.LOW,
                "Width the start offset in a file name is zero-padded to, so file names sort in offset order.",
                GROUP_STORAGE, ++order, Width.SHORT, "Offset padding");

        order = 0;
        def.define(PARQUET_CODEC, Type.STRING, "snappy", ConfigDef.ValidString.in("snappy", "none"),
                Importance.MEDIUM, "Compression codec of the Parquet files: snappy or none.",
                GROUP_FORMAT, ++order, Width.SHORT, "Parquet codec", new FixedRecommender(List.of("snappy", "none")));

        order = 0;
        def.define(FLUSH_SIZE, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.HIGH,
                "Records per file: a file is published once it holds this many records.",
                GROUP_ROTATION, ++order, Width.SHORT, "Flush size");
        def.define(ROTATE_SCHEDULE_INTERVAL_MS, Type.LONG, 600_000L, ConfigDef.Range.atLeast(-1), Importance.MEDIUM,
                "Wall-clock milliseconds a file may stay open: older files are published even if no more records "
                        + "arrive, so quiet tables still land. -1 disables. Unlike Confluent's S3 sink, this keeps "
                        + "exactly-once: recovery resumes after the last published record, whatever rotated it.",
                GROUP_ROTATION, ++order, Width.SHORT, "Max file age (ms)");

        order = 0;
        def.define(BEHAVIOR_ON_NULL_VALUES, Type.STRING, NULL_VALUES_IGNORE,
                ConfigDef.ValidString.in(NULL_VALUES_IGNORE, NULL_VALUES_FAIL), Importance.LOW,
                "What to do with a record whose value is null (a tombstone): ignore skips it; fail reports it as a "
                        + "bad record (to the dead letter queue when errors.tolerance=all, else the task fails).",
                GROUP_ERRORS, ++order, Width.SHORT, "Null values",
                new FixedRecommender(List.of(NULL_VALUES_IGNORE, NULL_VALUES_FAIL)));
        return def;
    }

    public String storageType() {
        return getString(STORAGE_TYPE);
    }

    public String localDir() {
        return getString(LOCAL_DIR);
    }

    public String topicsDir() {
        return getString(TOPICS_DIR);
    }

    public int offsetPadWidth() {
        return getInt(FILENAME_OFFSET_ZERO_PAD_WIDTH);
    }

    public String codec() {
        return getString(PARQUET_CODEC);
    }

    public int flushSize() {
        return getInt(FLUSH_SIZE);
    }

    public long rotateScheduleIntervalMs() {
        return getLong(ROTATE_SCHEDULE_INTERVAL_MS);
    }

    public boolean failOnNullValues() {
        return NULL_VALUES_FAIL.equals(getString(BEHAVIOR_ON_NULL_VALUES));
    }

    /** topics.dir is joined under the storage root, so it must not climb out of it. */
    static final class RelativePathValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String path = (String) value;
            if (path == null) {
                return;
            }
            if (path.startsWith("/") || List.of(path.split("/")).contains("..")) {
                throw new ConfigException(name, value, "must be a relative path without '..' segments, "
                        + "e.g. topics or lake/raw");
            }
        }

        @Override
        public String toString() {
            return "a relative path, e.g. topics";
        }
    }

    static final class FixedRecommender implements ConfigDef.Recommender {
        private final List<Object> values;

        FixedRecommender(List<?> values) {
            this.values = List.copyOf(values);
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return values;
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }
}
