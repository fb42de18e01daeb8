package dev.outflow.sink.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3RetryTest {

    private static S3Exception s3Error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        S3Retry retry = new S3Retry(10, 200);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long first = retry.backoff(1);
            assertTrue(first >= 100 && first <= 200, "first retry waits 100..200 ms, not " + first);
            long third = retry.backoff(3);
            assertTrue(third >= 400 && third <= 800, "third retry waits 400..800 ms, not " + third);
            long late = retry.backoff(30);
            assertTrue(late >= S3Retry.MAX_BACKOFF_MS / 2 && late <= S3Retry.MAX_BACKOFF_MS, "capped: " + late);
            seen.add(first);
        }
        assertTrue(seen.size() > 20, "jittered, not fixed: " + seen.size() + " distinct waits");
        assertEquals(0, new S3Retry(3, 0).backoff(2));
    }

    @Test
    void transientFaultsAreToldFromPermanentOnes() {
        assertTrue(S3Retry.isTransient(s3Error(500, "InternalError")));
        assertTrue(S3Retry.isTransient(s3Error(503, "SlowDown")));
        assertTrue(S3Retry.isTransient(s3Error(200, "InternalError")), "an error inside a 200 answer");
        assertTrue(S3Retry.isTransient(s3Error(400, "RequestTimeout")));
        assertTrue(S3Retry.isTransient(SdkClientException.create("read", new SocketTimeoutException("x"))));
        assertTrue(S3Retry.isTransient(new IOException("reset")));
        assertFalse(S3Retry.isTransient(s3Error(403, "AccessDenied")));
        assertFalse(S3Retry.isTransient(s3Error(404, "NoSuchBucket")));
        assertFalse(S3Retry.isTransient(SdkClientException.create("Unable to load credentials")));
    }

    @Test
    void aPermanentErrorIsReportedAtOnceWithTheFix() {
        int[] attempts = {0};
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> new S3Retry(5, 1).call("put k", n -> {
                    attempts[0]++;
                    throw s3Error(403, "AccessDenied");
                }));
        assertEquals(1, attempts[0]);
        assertTrue(e.getMessage().contains("s3:PutObject"), e.getMessage());
    }
}
