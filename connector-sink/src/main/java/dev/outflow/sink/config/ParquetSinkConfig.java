package dev.outflow.sink.config;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import dev.outflow.sink.format.Codecs;
import dev.outflow.sink.partition.FileNaming;
import dev.outflow.sink.partition.Partitioners;

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

    // storage.type=s3. Names are Confluent's S3 sink's where the meaning is the same.
    public static final String GROUP_S3 = "S3";
    public static final String STORAGE_S3 = "s3";
    public static final String S3_BUCKET_NAME = "s3.bucket.name";
    public static final String S3_REGION = "s3.region";
    public static final String STORE_URL = "store.url";
    public static final String S3_PATH_STYLE_ACCESS = "s3.path.style.access.enabled";
    public static final String AWS_ACCESS_KEY_ID = "aws.access.key.id";
    public static final String AWS_SECRET_ACCESS_KEY = "aws.secret.access.key";
    public static final String S3_SSEA_NAME = "s3.ssea.name";
    public static final String S3_SSE_KMS_KEY_ID = "s3.sse.kms.key.id";
    public static final String S3_PART_SIZE = "s3.part.size";
    public static final String S3_PART_RETRIES = "s3.part.retries";
    public static final String S3_RETRY_BACKOFF_MS = "s3.retry.backoff.ms";
    public static final String SSE_NONE = "";
    public static final String SSE_S3 = "AES256";
    public static final String SSE_KMS = "aws:kms";
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    public static final String PARQUET_CODEC = "parquet.codec";
    public static final String PARQUET_BLOCK_SIZE = "parquet.block.size";
    public static final String PARQUET_PAGE_SIZE = "parquet.page.size";

    public static final String GROUP_PARTITIONING = "Partitioning";
    public static final String PARTITIONER_CLASS = "partitioner.class";
    public static final String PARTITION_FIELD_NAME = "partition.field.name";
    public static final String PARTITION_GRANULARITY = "partition.granularity";
    public static final String TIMESTAMP_EXTRACTOR = "timestamp.extractor";
    public static final String TIMESTAMP_FIELD = "timestamp.field";
    public static final String TIMEZONE = "timezone";
    public static final String TABLE_NAME_REGEX = "table.name.regex";
    public static final String TABLE_NAME_REPLACEMENT = "table.name.replacement";

    public static final String FLUSH_SIZE = "flush.size";
    public static final String ROTATE_SCHEDULE_INTERVAL_MS = "rotate.schedule.interval.ms";
    public static final String ROTATE_INTERVAL_MS = "rotate.interval.ms";
    public static final String ROTATE_SIZE_BYTES = "rotate.size.bytes";

    public static final String GROUP_MEMORY = "Memory";
    public static final String MEMORY_BUDGET_BYTES = "memory.budget.bytes";

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
        def.define(STORAGE_TYPE, Type.STRING, STORAGE_LOCAL, ConfigDef.ValidString.in(STORAGE_LOCAL, STORAGE_S3),
                Importance.HIGH,
                "Where files are written. local: a directory on the Connect worker's file system (local.dir). "
                        + "s3: an S3 bucket or an S3-compatible store (s3.bucket.name and the S3 group).",
                GROUP_STORAGE, ++order, Width.SHORT, "Storage type",
                new FixedRecommender(List.of(STORAGE_LOCAL, STORAGE_S3)));
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
        S3KeysRecommender recommender = new S3KeysRecommender();
        def.define(S3_BUCKET_NAME, Type.STRING, null, Importance.HIGH,
                "Bucket files are written to when storage.type=s3. Keys start with topics.dir, so one bucket can "
                        + "hold several lakes under different topics.dir prefixes.",
                GROUP_S3, ++order, Width.MEDIUM, "Bucket", recommender);
        def.define(S3_REGION, Type.STRING, "us-east-1", new ConfigDef.NonEmptyStringWithoutControlChars(),
                Importance.MEDIUM,
                "AWS region of the bucket, e.g. eu-west-1. With store.url it is the region requests are signed "
                        + "for (most S3-compatible stores accept us-east-1).",
                GROUP_S3, ++order, Width.SHORT, "Region", recommender);
        def.define(STORE_URL, Type.STRING, null, new HttpUrlValidator(), Importance.MEDIUM,
                "Endpoint of an S3-compatible store (MinIO, Ceph, S3Proxy ...), e.g. http://minio:9000. Empty "
                        + "uses AWS's endpoint for s3.region.",
                GROUP_S3, ++order, Width.LONG, "Endpoint URL", recommender);
        def.define(S3_PATH_STYLE_ACCESS, Type.BOOLEAN, null, Importance.LOW,
                "Address the bucket in the URL path (http://host/bucket/key) instead of the host name "
                        + "(http://bucket.host/key). Empty means true when store.url is set (what most "
                        + "S3-compatible stores need) and false for AWS.",
                GROUP_S3, ++order, Width.SHORT, "Path-style access", recommender);
        def.define(AWS_ACCESS_KEY_ID, Type.STRING, null, Importance.MEDIUM,
                "Access key id of static credentials, together with aws.secret.access.key. Empty uses the AWS "
                        + "default credentials chain of the worker (environment, system properties, profile, "
                        + "web identity, container or instance role).",
                GROUP_S3, ++order, Width.MEDIUM, "Access key id", recommender);
        def.define(AWS_SECRET_ACCESS_KEY, Type.PASSWORD, null, Importance.MEDIUM,
                "Secret access key belonging to aws.access.key.id.",
                GROUP_S3, ++order, Width.MEDIUM, "Secret access key", recommender);
        def.define(S3_SSEA_NAME, Type.STRING, SSE_NONE, ConfigDef.ValidString.in(SSE_NONE, SSE_S3, SSE_KMS),
                Importance.LOW,
                "Server-side encryption of written objects: empty leaves it to the bucket's default encryption, "
                        + "AES256 asks for SSE-S3, aws:kms for SSE-KMS (with s3.sse.kms.key.id, or the AWS "
                        + "managed key when that is empty).",
                GROUP_S3, ++order, Width.SHORT, "Server-side encryption", recommender);
        def.define(S3_SSE_KMS_KEY_ID, Type.STRING, null, Importance.LOW,
                "KMS key (id, ARN or alias) for s3.ssea.name=aws:kms.",
                GROUP_S3, ++order, Width.LONG, "SSE-KMS key", recommender);
        def.define(S3_PART_SIZE, Type.INT, 8 * 1024 * 1024, ConfigDef.Range.between(MIN_PART_SIZE, 1 << 30),
                Importance.LOW,
                "Bytes per part of a multipart upload. A file is streamed to S3 while it is written, one part at "
                        + "a time, so each open file holds at most one part in memory (besides Parquet's own row "
                        + "group buffer). Files smaller than one part are sent with a single PUT. S3 allows "
                        + "10,000 parts, so this also caps a file at 10,000 times this size.",
                GROUP_S3, ++order, Width.SHORT, "Part size", recommender);
        def.define(S3_PART_RETRIES, Type.INT, 5, ConfigDef.Range.between(0, 100), Importance.LOW,
                "Retries of each S3 request (part upload, publish, list, read) after a transient error: HTTP 5xx, "
                        + "503 SlowDown, throttling, timeouts, broken connections, and errors S3 reports inside a "
                        + "200 response. When they are used up, the storage raises Connect's RetriableException "
                        + "(a transient error), not a fatal one.",
                GROUP_S3, ++order, Width.SHORT, "Retries", recommender);
        def.define(S3_RETRY_BACKOFF_MS, Type.LONG, 200L, ConfigDef.Range.between(0, 60_000), Importance.LOW,
                "Wait before the first retry of an S3 request; it doubles with each further retry (with random "
                        + "jitter, at most 30 s), so clients of a struggling store do not retry in lockstep.",
                GROUP_S3, ++order, Width.SHORT, "Retry backoff (ms)", recommender);

        order = 0;
        def.define(PARQUET_CODEC, Type.STRING, "snappy", ConfigDef.ValidString.in(Codecs.NAMES.toArray(new String[0])),
                Importance.MEDIUM, "Compression codec of the Parquet files: snappy, zstd, gzip or none. The codec is "
                        + "part of the file name (<name>.<codec>.parquet).",
                GROUP_FORMAT, ++order, Width.SHORT, "Parquet codec", new FixedRecommender(Codecs.NAMES));
        def.define(PARQUET_BLOCK_SIZE, Type.INT, 64 * 1024 * 1024, ConfigDef.Range.atLeast(64 * 1024),
                Importance.LOW, "Target row group size in bytes. A row group is buffered in memory before it is "
                        + "written, so this also bounds one open file's memory (see memory.budget.bytes).",
                GROUP_FORMAT, ++order, Width.SHORT, "Row group size (bytes)");
        def.define(PARQUET_PAGE_SIZE, Type.INT, 1024 * 1024, ConfigDef.Range.atLeast(1024), Importance.LOW,
                "Target page size in bytes.", GROUP_FORMAT, ++order, Width.SHORT, "Page size (bytes)");

        order = 0;
        def.define(PARTITIONER_CLASS, Type.STRING, Partitioners.DEFAULT, new PartitionerValidator(), Importance.HIGH,
                "How files are laid out under each table: default (partition=<kafkaPartition>), none (no directory: "
                        + "files straight under the table's directory), field (one level per "
                        + "partition.field.name: region=eu/status=paid), time (year=YYYY/month=MM/day=dd[/hour=HH] by "
                        + "partition.granularity, from timestamp.extractor), or field_time (fields, then time). "
                        + "Confluent's partitioner class names (DefaultPartitioner, FieldPartitioner, "
                        + "TimeBasedPartitioner, DailyPartitioner, HourlyPartitioner) are accepted too.",
                GROUP_PARTITIONING, ++order, Width.MEDIUM, "Partitioner",
                new FixedRecommender(Partitioners.NAMES));
        def.define(PARTITION_FIELD_NAME, Type.LIST, "", Importance.MEDIUM,
                "Fields (comma-separated; a.b for nested) whose values name the directories, for partitioner.class "
                        + "field or field_time. Values are escaped Hive-style; NULL or empty becomes "
                        + dev.outflow.sink.partition.PathValues.NULL_VALUE + ".",
                GROUP_PARTITIONING, ++order, Width.LONG, "Partition fields");
        def.define(PARTITION_GRANULARITY, Type.STRING, "day", ConfigDef.CaseInsensitiveValidString.in(
                "year", "month", "day", "hour"), Importance.MEDIUM,
                "Time directory depth for partitioner.class time or field_time: year, month, day or hour.",
                GROUP_PARTITIONING, ++order, Width.SHORT, "Time granularity",
                new FixedRecommender(List.of("year", "month", "day", "hour")));
        def.define(TIMESTAMP_EXTRACTOR, Type.STRING, "Record", ConfigDef.CaseInsensitiveValidString.in(
                "Record", "RecordField", "Wallclock"), Importance.MEDIUM,
                "Where the time of a record comes from: Record (the Kafka record timestamp), RecordField (the "
                        + "field timestamp.field: a timestamp, date, epoch-millisecond long, outflow's or Debezium's "
                        + "micro/nano timestamps, or an ISO-8601 string) or Wallclock (the time of writing).",
                GROUP_PARTITIONING, ++order, Width.SHORT, "Timestamp extractor",
                new FixedRecommender(List.of("Record", "RecordField", "Wallclock")));
        def.define(TIMESTAMP_FIELD, Type.STRING, "timestamp", Importance.MEDIUM,
                "Field holding the time when timestamp.extractor=RecordField (a.b for nested).",
                GROUP_PARTITIONING, ++order, Width.MEDIUM, "Timestamp field");
        def.define(TIMEZONE, Type.STRING, "UTC", new ZoneValidator(), Importance.MEDIUM,
                "Zone the time directories are computed in, e.g. UTC or Europe/Berlin. A timestamp without zone "
                        + "(outflow's LocalTimestampMicros) is placed by its own wall-clock date.",
                GROUP_PARTITIONING, ++order, Width.SHORT, "Time zone");
        def.define(TABLE_NAME_REGEX, Type.STRING, "(.*)", new RegexValidator(), Importance.MEDIUM,
                "Regular expression matched against the topic name to derive the table directory, with "
                        + "table.name.replacement. E.g. pg\\.[^.]+\\.(.*) turns pg.public.orders into orders. A topic "
                        + "it does not match keeps its name.",
                GROUP_PARTITIONING, ++order, Width.MEDIUM, "Table name regex");
        def.define(TABLE_NAME_REPLACEMENT, Type.STRING, "$1", Importance.MEDIUM,
                "Replacement for table.name.regex ($1 is the first group).",
                GROUP_PARTITIONING, ++order, Width.SHORT, "Table name replacement");

        order = 0;
        def.define(FLUSH_SIZE, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.HIGH,
                "Records per file: a file is published once it holds this many records.",
                GROUP_ROTATION, ++order, Width.SHORT, "Flush size");
        def.define(ROTATE_SCHEDULE_INTERVAL_MS, Type.LONG, 600_000L, ConfigDef.Range.atLeast(-1), Importance.MEDIUM,
                "Wall-clock milliseconds a file may stay open: older files are published even if no more records "
                        + "arrive, so quiet tables still land. -1 disables. Unlike Confluent's S3 sink, this keeps "
                        + "exactly-once: recovery resumes after the last published record, whatever rotated it.",
                GROUP_ROTATION, ++order, Width.SHORT, "Max file age (ms)");
        def.define(ROTATE_INTERVAL_MS, Type.LONG, -1L, ConfigDef.Range.atLeast(-1), Importance.MEDIUM,
                "Record-time milliseconds a file may span: a file is published when a record's timestamp is this "
                        + "far past the timestamp of the file's first record. -1 disables.",
                GROUP_ROTATION, ++order, Width.SHORT, "Max record-time span (ms)");
        def.define(ROTATE_SIZE_BYTES, Type.LONG, 256L * 1024 * 1024, ConfigDef.Range.atLeast(1024),
                Importance.MEDIUM, "Approximate bytes per file: a file is published once it reaches this size.",
                GROUP_ROTATION, ++order, Width.SHORT, "Max file size (bytes)");

        order = 0;
        def.define(MEMORY_BUDGET_BYTES, Type.LONG, 256L * 1024 * 1024, ConfigDef.Range.atLeast(1024 * 1024),
                Importance.MEDIUM, "Memory all open files of one task may buffer together. Past it, the Kafka "
                        + "partition buffering the most is published early (fewer, larger files need more). Keep it "
                        + "well under the worker heap divided by the tasks per worker.",
                GROUP_MEMORY, ++order, Width.SHORT, "Memory budget (bytes)");

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

    /** How this configuration names files: topics.dir, the offset padding and the codec's tag. */
    public FileNaming fileNaming() {
        return new FileNaming(topicsDir(), offsetPadWidth(), Codecs.fileTag(codec()));
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

    public int parquetBlockSize() {
        return getInt(PARQUET_BLOCK_SIZE);
    }

    public int parquetPageSize() {
        return getInt(PARQUET_PAGE_SIZE);
    }

    public long rotateIntervalMs() {
        return getLong(ROTATE_INTERVAL_MS);
    }

    public long rotateSizeBytes() {
        return getLong(ROTATE_SIZE_BYTES);
    }

    public long memoryBudgetBytes() {
        return getLong(MEMORY_BUDGET_BYTES);
    }

    public String partitionerName() {
        return Partitioners.canonical(getString(PARTITIONER_CLASS));
    }

    public List<String> partitionFields() {
        return getList(PARTITION_FIELD_NAME).stream().map(String::trim).filter(f -> !f.isEmpty()).toList();
    }

    public String partitionGranularity() {
        return getString(PARTITION_GRANULARITY).toLowerCase(java.util.Locale.ROOT);
    }

    public String timestampExtractor() {
        return getString(TIMESTAMP_EXTRACTOR).toUpperCase(java.util.Locale.ROOT);
    }

    public String timestampField() {
        return getString(TIMESTAMP_FIELD);
    }

    public java.time.ZoneId timezone() {
        return java.time.ZoneId.of(getString(TIMEZONE));
    }

    public java.util.regex.Pattern tableNameRegex() {
        return java.util.regex.Pattern.compile(getString(TABLE_NAME_REGEX));
    }

    public String tableNameReplacement() {
        return getString(TABLE_NAME_REPLACEMENT);
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

    static final class PartitionerValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (Partitioners.canonical((String) value) == null) {
                throw new ConfigException(name, value, "must be one of " + Partitioners.NAMES
                        + " (or a Confluent partitioner class name)");
            }
        }

        @Override
        public String toString() {
            return String.join(", ", Partitioners.NAMES);
        }
    }

    static final class ZoneValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                java.time.ZoneId.of((String) value);
            } catch (RuntimeException e) {
                throw new ConfigException(name, value, "is not a time zone; use an id such as UTC or Europe/Berlin");
            }
        }

        @Override
        public String toString() {
            return "a time zone id, e.g. UTC";
        }
    }

    static final class RegexValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                java.util.regex.Pattern.compile((String) value);
            } catch (RuntimeException e) {
                throw new ConfigException(name, value, "is not a valid regular expression: " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "a regular expression";
        }
    }

    /** store.url must be an absolute http(s) URL. */
    static final class HttpUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String url = (String) value;
            if (url == null || url.isEmpty()) {
                return;
            }
            try {
                java.net.URI uri = new java.net.URI(url);
                if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    throw new ConfigException(name, value, "must be an http:// or https:// URL with a host, e.g. "
                            + "http://minio:9000");
                }
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException(name, value, "is not a URL (" + e.getReason() + "), e.g. http://minio:9000");
            }
        }

        @Override
        public String toString() {
            return "an http(s) URL, e.g. http://minio:9000";
        }
    }

    /** The S3 keys matter only with storage.type=s3; tools that honour visibility hide them otherwise. */
    static final class S3KeysRecommender implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return new java.util.ArrayList<>(S3_SSEA_NAME.equals(name) ? List.of(SSE_NONE, SSE_S3, SSE_KMS) : List.of());
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return STORAGE_S3.equals(parsedConfig.get(STORAGE_TYPE));
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
