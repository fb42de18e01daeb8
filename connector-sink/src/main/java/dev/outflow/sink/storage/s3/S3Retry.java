package dev.outflow.sink.storage.s3;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one S3 request with bounded retries. Transient faults (HTTP 5xx, 503 SlowDown, throttling, timeouts,
 * broken connections, and errors S3 reports inside a 200 response, such as a CompleteMultipartUpload that fails
 * after its headers were sent) are retried after a jittered, doubling backoff, so many tasks hitting one struggling
 * store do not retry in lockstep. When the retries are used up the fault is still transient: it surfaces as a
 * {@link RetriableException}, which tells Connect to try again later instead of failing the task. Anything else
 * (access denied, no such bucket ...) is permanent and surfaces at once as an {@link IOException}.
 *
 * <p>The SDK's own retries are switched off (see {@link S3Clients}), so {@code s3.part.retries} is the only bound.
 */
final class S3Retry {
    private static final Logger log = LoggerFactory.getLogger(S3Retry.class);

    static final long MAX_BACKOFF_MS = 30_000;

    /** Error codes S3 and S3-compatible stores use for faults that pass, whatever the HTTP status says. */
    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "SlowDown", "ServiceUnavailable",
            "RequestTimeout", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
            "OperationAborted", "RequestTimeoutException", "InternalFailure", "BadGateway", "GatewayTimeout");

    /** One attempt of a request; {@code attempt} counts from 1, so an attempt can tell it is a retry. */
    @FunctionalInterface
    interface Attempt<T> {
        T run(int attempt) throws IOException;
    }

    private final int retries;
    private final long backoffMs;

    S3Retry(int retries, long backoffMs) {
        this.retries = retries;
        this.backoffMs = backoffMs;
    }

    /**
     * Runs {@code attempt} until it succeeds, fails permanently, or has been retried {@code retries} times.
     *
     * @param what the request and object, for messages, e.g. "upload part 3 of topics/t/…parquet"
     * @throws RetriableException when a transient fault outlasts the retries
     * @throws IOException        on a permanent fault
     */
    <T> T call(String what, Attempt<T> attempt) throws IOException {
        for (int n = 1; ; n++) {
            try {
                return attempt.run(n);
            } catch (RuntimeException | IOException e) {
                if (!isTransient(e)) {
                    if (e instanceof SdkException) {
                        throw new IOException("S3 " + what + " failed: " + describe(e) + S3Errors.hint(e), e);
                    }
                    throw e; // ours, e.g. a RetriableException from a nested call
                }
                if (n > retries) {
                    throw new RetriableException("S3 " + what + " still failing after " + n + " attempt(s): "
                            + describe(e) + ". Connect will retry; raise s3.part.retries or s3.retry.backoff.ms "
                            + "if the store needs longer to recover", e);
                }
                long sleep = backoff(n);
                log.warn("S3 {} failed ({}); retry {} of {} in {} ms", what, describe(e), n, retries, sleep);
                sleep(sleep, what);
            }
        }
    }

    /** Half the doubling delay plus a random share of the other half: never zero, never in lockstep. */
    long backoff(int retry) {
        long ceiling = Math.min(MAX_BACKOFF_MS, backoffMs << Math.min(retry - 1, 20));
        if (ceiling <= 0) {
            return 0;
        }
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }

    private static void sleep(long ms, String what) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while waiting to retry S3 " + what, e);
        }
    }

    /** Whether retrying the same request later may succeed. */
    static boolean isTransient(Throwable e) {
        if (e instanceof AwsServiceException s) {
            int status = s.statusCode();
            String code = S3Errors.code(s);
            return status >= 500 || status == 429 || status == 408 || TRANSIENT_CODES.contains(code)
                    || s.isThrottlingException();
        }
        if (e instanceof SdkClientException) {
            // The SDK wraps connection and read failures (refused, reset, no response, socket timeout) and its
            // own call timeouts; anything else (e.g. no credentials found) needs a configuration change.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IOException || t instanceof ApiCallAttemptTimeoutException
                        || t instanceof ApiCallTimeoutException) {
                    return true;
                }
            }
            return false;
        }
        return e instanceof IOException;
    }

    static String describe(Throwable e) {
        if (e instanceof AwsServiceException s) {
            String code = S3Errors.code(s);
            String message = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
            return "HTTP " + s.statusCode() + (code.isEmpty() ? "" : " " + code)
                    + (message == null ? "" : ": " + message);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
}
