package dev.outflow.sink.storage.s3;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.RetriableException;

import dev.outflow.sink.config.ParquetSinkConfig;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What {@code validate()} learns by talking to the store: whether the endpoint answers, the credentials are
 * accepted, the bucket exists in the configured region, and the connector may list it and start (then abort) an
 * upload under {@code topics.dir}, which needs the same permissions as writing a file but leaves nothing
 * behind. Each problem is reported on the key that fixes it.
 */
public final class S3Check {
    /** Validation answers a REST call: fail fast rather than retry for long. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(15);

    private S3Check() {
    }

    /** Config key -> problem, empty when the store is usable. */
    public static Map<String, String> problems(S3Settings configured, String topicsDir) {
        S3Settings settings = configured.withRetries(1, 200, CONNECT_TIMEOUT, SOCKET_TIMEOUT);
        Map<String, String> problems = new LinkedHashMap<>();
        String prefix = topicsDir == null || topicsDir.isEmpty() ? "" : topicsDir.replaceAll("/+$", "") + "/";
        S3Retry retry = new S3Retry(settings.retries(), settings.retryBackoffMs());
        try (S3Client client = S3Clients.create(settings)) {
            retry.call("list " + settings.location(), n -> client.listObjectsV2(
                    b -> b.bucket(settings.bucket()).prefix(prefix).maxKeys(1)));
            String probe = prefix + ".outflow-validate-" + UUID.randomUUID();
            S3Upload upload = new S3Upload(client, settings, retry, probe);
            String uploadId = retry.call("start a test upload to " + settings.location(),
                    n -> client.createMultipartUpload(upload.createRequestForCheck()).uploadId());
            S3Upload.abort(client, retry, settings.bucket(), probe, uploadId);
        } catch (IOException | RuntimeException e) {
            // Judge by what S3 (or the network) said, not by our wrapping of it.
            Throwable cause = (e instanceof IOException || e instanceof RetriableException) && e.getCause() != null
                    ? e.getCause() : e;
            problems.put(keyFor(cause, settings), message(cause, settings));
        }
        return problems;
    }

    private static String keyFor(Throwable e, S3Settings settings) {
        if (e instanceof ConfigException) {
            return ParquetSinkConfig.S3_BUCKET_NAME;
        }
        if (e instanceof AwsServiceException s) {
            String code = S3Errors.code(s);
            return switch (code) {
                case "NoSuchBucket", "InvalidBucketName" -> ParquetSinkConfig.S3_BUCKET_NAME;
                case "SignatureDoesNotMatch" -> ParquetSinkConfig.AWS_SECRET_ACCESS_KEY;
                case "InvalidAccessKeyId", "AccessDenied", "AllAccessDisabled", "InvalidToken", "ExpiredToken" ->
                        ParquetSinkConfig.AWS_ACCESS_KEY_ID;
                case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException" ->
                        ParquetSinkConfig.S3_REGION;
                default -> code.startsWith("KMS") ? ParquetSinkConfig.S3_SSE_KMS_KEY_ID
                        : s.statusCode() == 301 ? ParquetSinkConfig.S3_REGION
                        : s.statusCode() == 403 ? ParquetSinkConfig.AWS_ACCESS_KEY_ID
                        : s.statusCode() == 404 ? ParquetSinkConfig.S3_BUCKET_NAME
                        : reachKey(settings);
            };
        }
        if (e instanceof SdkClientException && !S3Retry.isTransient(e)) {
            // Not a network fault: the SDK could not even build a signed request, e.g. no credentials.
            return String.valueOf(e.getMessage()).contains("credentials") ? ParquetSinkConfig.AWS_ACCESS_KEY_ID
                    : reachKey(settings);
        }
        if (e instanceof IllegalArgumentException) {
            return ParquetSinkConfig.S3_BUCKET_NAME; // the SDK checks bucket names before sending
        }
        return reachKey(settings);
    }

    private static String reachKey(S3Settings settings) {
        return settings.endpoint() != null ? ParquetSinkConfig.STORE_URL : ParquetSinkConfig.S3_REGION;
    }

    private static String message(Throwable e, S3Settings settings) {
        String where = settings.location();
        if (e instanceof AwsServiceException s) {
            String code = S3Errors.code(s);
            String region = s.awsErrorDetails() == null || s.awsErrorDetails().sdkHttpResponse() == null ? null
                    : s.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElse(null);
            return switch (code) {
                case "NoSuchBucket" -> "Bucket " + settings.bucket() + " does not exist"
                        + (settings.endpoint() == null ? " in region " + settings.region() : " at " + settings.endpoint())
                        + ": create it, or fix s3.bucket.name";
                case "InvalidAccessKeyId" -> "S3 does not know the access key id " + (settings.accessKeyId() == null
                        ? "found by the AWS default credentials chain" : "in aws.access.key.id")
                        + ": fix aws.access.key.id (and aws.secret.access.key)";
                case "SignatureDoesNotMatch" -> "S3 rejected the signature of requests to " + where
                        + ": aws.secret.access.key does not belong to aws.access.key.id";
                case "AccessDenied", "AllAccessDisabled" -> "The credentials may not use " + where + " ("
                        + S3Retry.describe(s) + ")" + S3Errors.hint(s);
                default -> {
                    if (region != null && !region.equals(settings.region())) {
                        yield "Bucket " + settings.bucket() + " is in region " + region + ", not "
                                + settings.region() + ": set s3.region=" + region;
                    }
                    yield "S3 at " + where + " answered " + S3Retry.describe(s) + S3Errors.hint(s);
                }
            };
        }
        if (e instanceof SdkClientException && !S3Retry.isTransient(e)) {
            if (String.valueOf(e.getMessage()).contains("credentials")) {
                return "No AWS credentials: set aws.access.key.id and aws.secret.access.key, or give the Connect "
                        + "worker credentials through the AWS default chain (" + e.getMessage() + ")";
            }
            return "Cannot use " + where + ": " + e.getMessage();
        }
        if (e instanceof IllegalArgumentException || e instanceof ConfigException) {
            return "Invalid bucket name " + settings.bucket() + ": " + e.getMessage();
        }
        String cause = S3Retry.describe(e);
        return settings.endpoint() != null
                ? "Cannot reach the S3 endpoint " + settings.endpoint() + " (" + cause + "): check that the store "
                        + "is running and reachable from the Connect worker, or fix store.url"
                : "Cannot reach S3 in region " + settings.region() + " (" + cause + "): check the worker's network "
                        + "access to AWS, or set store.url for an S3-compatible store";
    }
}
