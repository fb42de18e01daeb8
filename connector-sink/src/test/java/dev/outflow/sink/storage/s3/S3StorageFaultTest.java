package dev.outflow.sink.storage.s3;

import static dev.outflow.sink.storage.s3.S3Fixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.connect.errors.RetriableException;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.outflow.sink.storage.Storage;
import dev.outflow.testing.FaultyHttpProxy;
import dev.outflow.testing.FaultyHttpProxy.Fault;
import dev.outflow.testing.FaultyHttpProxy.Request;

/**
 * {@link S3Storage} behind a proxy that breaks requests: transient faults are retried until the request goes
 * through, and the result is exactly what was written, once. Faults that outlast the retries become a
 * {@link RetriableException}; permanent errors do not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3StorageFaultTest {

    private S3Fixture fx;
    private int buckets;

    @BeforeAll
    void start() {
        fx = new S3Fixture();
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    @BeforeEach
    void noFaults() {
        fx.proxy.policy(FaultyHttpProxy.none());
        fx.proxy.clearExchanges();
    }

    private String bucket() {
        return fx.newBucket("faults-" + ++buckets);
    }

    /** Each listed operation's requests get the listed faults in turn; then they go through. */
    private static Function<Request, Fault> inTurn(String operation, Fault... faults) {
        List<Fault> left = new ArrayList<>(List.of(faults));
        return r -> {
            synchronized (left) {
                return r.operation().equals(operation) && !left.isEmpty() ? left.remove(0) : Fault.NONE;
            }
        };
    }

    private byte[] readAll(S3Storage storage, String key) throws IOException {
        var file = storage.open(key);
        byte[] bytes = new byte[(int) file.getLength()];
        try (SeekableInputStream in = file.newStream()) {
            in.readFully(bytes);
        }
        return bytes;
    }

    @Test
    void everyKindOfRequestSurvivesEveryKindOfTransientFault() throws IOException {
        String bucket = bucket();
        Map<String, Fault> faults = new HashMap<>();
        faults.put("CreateMultipartUpload", Fault.DROP_BEFORE);
        faults.put("UploadPart", Fault.HTTP_503);
        faults.put("CompleteMultipartUpload", Fault.ERROR_IN_200); // carried out, but the answer says it failed
        faults.put("PutObject", Fault.DROP_AFTER); // carried out, answer lost
        faults.put("ListObjectsV2", Fault.HTTP_500);
        faults.put("ListMultipartUploads", Fault.DROP_AFTER);
        faults.put("AbortMultipartUpload", Fault.DROP_AFTER); // the retry finds the upload gone
        faults.put("HeadObject", Fault.HTTP_503);
        faults.put("GetObject", Fault.DROP_BEFORE);
        fx.proxy.policy(FaultyHttpProxy.firstOfEach(faults, FaultyHttpProxy.none()));

        byte[] big = S3Fixture.randomBytes(11 * MIB, 10);
        byte[] small = S3Fixture.randomBytes(5000, 11);
        try (S3Storage storage = new S3Storage(fx.settings(bucket))) {
            Storage.PendingFile a = storage.create("topics/t/partition=0/t+0+0000000000.snappy.parquet");
            S3Fixture.write(a, big);
            a.publish();
            Storage.PendingFile b = storage.create("topics/t/partition=0/t+0+0000001000.snappy.parquet");
            S3Fixture.write(b, small);
            b.publish();
            Storage.PendingFile c = storage.create("topics/t/partition=0/t+0+0000002000.snappy.parquet");
            S3Fixture.write(c, S3Fixture.randomBytes(6 * MIB, 12));
            c.abort();
            Storage.PendingFile leftover = storage.create("topics/t/partition=0/t+0+0000003000.snappy.parquet");
            S3Fixture.write(leftover, S3Fixture.randomBytes(6 * MIB, 13));

            assertEquals(1, storage.discardPending("topics/t/", "t+0+"));
            assertEquals(List.of(a.key(), b.key()), storage.list("topics/"));
            assertArrayEquals(big, readAll(storage, a.key()));
            assertArrayEquals(small, readAll(storage, b.key()));
        }
        assertEquals(List.of(), fx.incompleteUploads(bucket));
        assertEquals(faults.keySet(), fx.proxy.exchanges().stream().filter(e -> e.fault() != Fault.NONE)
                .map(e -> e.request().operation()).collect(java.util.stream.Collectors.toSet()),
                "every planned fault was injected");
    }

    @Test
    void aCompletedUploadWhoseAnswerWasLostIsRecognisedByItsWriteId() throws IOException {
        String bucket = bucket();
        // The upload completes but the client hears "InternalError"; its retry hears "NoSuchUpload" (as from S3).
        fx.proxy.policy(inTurn("CompleteMultipartUpload", Fault.ERROR_IN_200, Fault.NO_SUCH_UPLOAD));
        byte[] bytes = S3Fixture.randomBytes(6 * MIB, 20);
        try (S3Storage storage = new S3Storage(fx.settings(bucket))) {
            Storage.PendingFile f = storage.create("topics/t/partition=0/t+0+0000000000.snappy.parquet");
            S3Fixture.write(f, bytes);
            f.publish();
            assertArrayEquals(bytes, fx.s3.get(bucket, f.key()));
        }
        assertEquals(List.of("CompleteMultipartUpload 200", "CompleteMultipartUpload 404", "HeadObject 200"),
                fx.proxy.exchanges().stream().filter(e -> e.request().operation().startsWith("Complete")
                        || e.request().operation().equals("HeadObject"))
                        .map(e -> e.request().operation() + " " + e.status()).toList());
    }

    @Test
    void anUploadAbortedByAnotherTaskIsNeverReportedAsPublished() throws IOException {
        String bucket = bucket();
        try (S3Storage storage = new S3Storage(fx.settings(bucket))) {
            Storage.PendingFile f = storage.create("topics/t/partition=0/t+0+0000000000.snappy.parquet");
            S3Fixture.write(f, S3Fixture.randomBytes(6 * MIB, 21));
            // A newer task took the partition over and cleaned up what it found in progress.
            try (S3Storage newer = new S3Storage(fx.settings(bucket))) {
                assertEquals(1, newer.discardPending("topics/t/", "t+0+"));
            }
            IOException e = assertThrows(IOException.class, f::publish);
            assertTrue(e.getMessage().contains("NoSuchUpload") && e.getMessage().contains("newer task"),
                    e.getMessage());
        }
        assertEquals(List.of(), fx.s3.listKeys(bucket, ""));
    }

    @Test
    void aRequestThatGetsNoAnswerTimesOutAndIsRetried() throws IOException {
        String bucket = bucket();
        fx.proxy.stallMillis(3_000).policy(FaultyHttpProxy.firstOfEach(
                Map.of("PutObject", Fault.STALL, "UploadPart", Fault.STALL), FaultyHttpProxy.none()));
        S3Settings settings = fx.settings(bucket).withRetries(2, 5, Duration.ofSeconds(2), Duration.ofMillis(500));
        byte[] small = S3Fixture.randomBytes(1000, 14);
        byte[] big = S3Fixture.randomBytes(6 * MIB, 15);
        try (S3Storage storage = new S3Storage(settings)) {
            Storage.PendingFile a = storage.create("topics/t/partition=0/t+0+0000000000.snappy.parquet");
            S3Fixture.write(a, small);
            a.publish();
            Storage.PendingFile b = storage.create("topics/t/partition=0/t+0+0000000001.snappy.parquet");
            S3Fixture.write(b, big);
            b.publish();
        }
        assertArrayEquals(small, fx.s3.get(bucket, "topics/t/partition=0/t+0+0000000000.snappy.parquet"));
        assertArrayEquals(big, fx.s3.get(bucket, "topics/t/partition=0/t+0+0000000001.snappy.parquet"));
        assertEquals(2, fx.proxy.faultCounts().get(Fault.STALL));
    }

    @Test
    void manyRandomFaultsLoseAndDuplicateNothing() throws IOException {
        String bucket = bucket();
        fx.proxy.policy(FaultyHttpProxy.random(42, 0.3, Fault.HTTP_500, Fault.HTTP_503, Fault.DROP_BEFORE,
                Fault.DROP_AFTER, Fault.ERROR_IN_200));
        S3Settings settings = fx.settings(bucket).withRetries(12, 1, Duration.ofSeconds(2), Duration.ofSeconds(5));
        List<byte[]> written = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (S3Storage storage = new S3Storage(settings)) {
            for (int i = 0; i < 12; i++) {
                String key = String.format("topics/t/partition=0/t+0+%010d.snappy.parquet", i * 100);
                byte[] bytes = S3Fixture.randomBytes(i % 3 == 0 ? 5 * MIB + 100 : 20_000 + i, 100 + i);
                Storage.PendingFile f = storage.create(key);
                S3Fixture.write(f, bytes);
                f.publish();
                written.add(bytes);
                keys.add(key);
            }
            assertEquals(keys, storage.list("topics/t/"));
            for (int i = 0; i < keys.size(); i++) {
                assertArrayEquals(written.get(i), readAll(storage, keys.get(i)), keys.get(i));
            }
        }
        Map<Fault, Integer> counts = fx.proxy.faultCounts();
        assertTrue(counts.getOrDefault(Fault.DROP_AFTER, 0) > 0 && counts.getOrDefault(Fault.HTTP_503, 0) > 0
                && counts.getOrDefault(Fault.ERROR_IN_200, 0) > 0, "faults injected: " + counts);
    }

    @Test
    void aFaultThatOutlastsTheRetriesIsRetriableAndTheFileCanStillBeAborted() throws IOException {
        String bucket = bucket();
        fx.proxy.policy(r -> r.operation().equals("UploadPart") ? Fault.HTTP_503 : Fault.NONE);
        try (S3Storage storage = new S3Storage(fx.settings(bucket))) {
            Storage.PendingFile f = storage.create("topics/t/partition=0/t+0+0000000000.snappy.parquet");
            RetriableException e = assertThrows(RetriableException.class,
                    () -> S3Fixture.write(f, S3Fixture.randomBytes(6 * MIB, 16)));
            assertTrue(e.getMessage().contains("4 attempt(s)") && e.getMessage().contains("SlowDown"),
                    e.getMessage());
            assertThrows(IOException.class, f::publish, "a file with a lost part is never published");
            f.abort();
        }
        assertEquals(4, fx.proxy.faultCounts().get(Fault.HTTP_503), "1 attempt + s3.part.retries (3)");
        assertEquals(List.of(), fx.incompleteUploads(bucket));
        assertEquals(List.of(), fx.s3.listKeys(bucket, ""));
    }

    @Test
    void aPermanentErrorIsNotRetriedAndSaysWhatToFix() {
        try (S3Storage storage = new S3Storage(fx.settings("no-such-bucket"))) {
            Storage.PendingFile f = storage.create("topics/t/partition=0/t+0+0000000000.snappy.parquet");
            S3Fixture.write(f, S3Fixture.randomBytes(100, 17));
            IOException e = assertThrows(IOException.class, f::publish);
            assertTrue(e.getMessage().contains("NoSuchBucket") && e.getMessage().contains("s3.bucket.name"),
                    e.getMessage());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(1, fx.proxy.exchanges().size(), "no retries: " + fx.proxy.exchanges());
    }
}
