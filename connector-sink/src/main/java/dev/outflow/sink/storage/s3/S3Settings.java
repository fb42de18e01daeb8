package dev.outflow.sink.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import dev.outflow.sink.config.ParquetSinkConfig;

/**
 * Everything the S3 storage needs from the connector configuration, checked once.
 *
 * @param endpoint      null for AWS itself
 * @param accessKeyId   null to use the AWS default credentials chain
 * @param sse           "" (bucket default), "AES256" or "aws:kms"
 * @param kmsKeyId      null for the AWS managed key
 * @param retries       retries of each request after a transient error
 * @param socketTimeout how long a request may wait for bytes from S3 before it counts as a (transient) timeout
 */
public record S3Settings(String bucket, String region, URI endpoint, boolean pathStyle, String accessKeyId,
        Password secretAccessKey, String sse, String kmsKeyId, int partSize, int retries, long retryBackoffMs,
        Duration connectTimeout, Duration socketTimeout) {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    public S3Settings {
        sse = sse == null ? "" : sse;
        if (bucket == null || bucket.isBlank()) {
            throw new BadSetting(ParquetSinkConfig.S3_BUCKET_NAME,
                    "s3.bucket.name is required when storage.type=s3: name the bucket to write to");
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new BadSetting(accessKeyId == null ? ParquetSinkConfig.AWS_ACCESS_KEY_ID
                    : ParquetSinkConfig.AWS_SECRET_ACCESS_KEY, "aws.access.key.id and aws.secret.access.key go "
                    + "together: set both, or neither to use the AWS default credentials chain");
        }
        if (kmsKeyId != null && !ParquetSinkConfig.SSE_KMS.equals(sse)) {
            throw new BadSetting(ParquetSinkConfig.S3_SSEA_NAME, "s3.ssea.name must be aws:kms when "
                    + "s3.sse.kms.key.id is set (it is '" + sse + "')");
        }
    }

    /** Reads and checks the S3 keys; throws a {@link BadSetting} naming the key to fix. */
    public static S3Settings from(AbstractConfig config) {
        return fromParsed(config.values());
    }

    /** The same from parsed values (name -> value as {@code ConfigDef} parses it), e.g. in validate(). */
    public static S3Settings fromParsed(Map<String, ?> values) {
        String endpoint = blankToNull((String) values.get(ParquetSinkConfig.STORE_URL));
        Boolean pathStyle = (Boolean) values.get(ParquetSinkConfig.S3_PATH_STYLE_ACCESS);
        Password secret = (Password) values.get(ParquetSinkConfig.AWS_SECRET_ACCESS_KEY);
        return new S3Settings((String) values.get(ParquetSinkConfig.S3_BUCKET_NAME),
                (String) values.get(ParquetSinkConfig.S3_REGION),
                endpoint == null ? null : URI.create(endpoint),
                pathStyle != null ? pathStyle : endpoint != null,
                blankToNull((String) values.get(ParquetSinkConfig.AWS_ACCESS_KEY_ID)),
                secret == null || secret.value().isEmpty() ? null : secret,
                (String) values.get(ParquetSinkConfig.S3_SSEA_NAME),
                blankToNull((String) values.get(ParquetSinkConfig.S3_SSE_KMS_KEY_ID)),
                (Integer) values.get(ParquetSinkConfig.S3_PART_SIZE),
                (Integer) values.get(ParquetSinkConfig.S3_PART_RETRIES),
                (Long) values.get(ParquetSinkConfig.S3_RETRY_BACKOFF_MS),
                CONNECT_TIMEOUT, SOCKET_TIMEOUT);
    }

    /** An S3 setting that is wrong (or missing) given the others. */
    public static final class BadSetting extends ConfigException {
        private final String key;

        BadSetting(String key, String message) {
            super(message);
            this.key = key;
        }

        /** The key to fix. */
        public String key() {
            return key;
        }
    }

    /** The same settings with other retry and timeout values (validation, tests). */
    public S3Settings withRetries(int retries, long backoffMs, Duration connectTimeout, Duration socketTimeout) {
        return new S3Settings(bucket, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse, kmsKeyId,
                partSize, retries, backoffMs, connectTimeout, socketTimeout);
    }

    /** The same settings with another part size (tests use the 5 MiB minimum). */
    public S3Settings withPartSize(int bytes) {
        return new S3Settings(bucket, region, endpoint, pathStyle, accessKeyId, secretAccessKey, sse, kmsKeyId,
                bytes, retries, retryBackoffMs, connectTimeout, socketTimeout);
    }

    /** Where files go, for messages: s3://bucket (at the endpoint, if not AWS). */
    public String location() {
        return "s3://" + bucket + (endpoint == null ? "" : " at " + endpoint);
    }

    @Override
    public String toString() {
        // Never prints the secret (Password.toString is [hidden] anyway) nor the key id.
        return "S3Settings[" + location() + ", region " + region + ", pathStyle " + pathStyle + ", credentials "
                + (accessKeyId == null ? "default chain" : "static") + ", sse '" + sse + "', partSize " + partSize
                + ", retries " + retries + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
