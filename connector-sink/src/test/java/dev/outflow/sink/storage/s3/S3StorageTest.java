package dev.outflow.sink.storage.s3;

import static dev.outflow.sink.storage.s3.S3Fixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.format.ParquetFooters;
import dev.outflow.sink.format.ParquetRecordWriter;
import dev.outflow.sink.storage.Storage;
import dev.outflow.testing.DuckDb;
import dev.outflow.testing.FaultyHttpProxy;
import dev.outflow.testing.FaultyHttpProxy.Exchange;

/** {@link S3Storage} against S3Proxy: atomic publish, streamed multipart uploads, cleanup, ranged footer reads. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3StorageTest {

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
        return fx.newBucket("lake-" + ++buckets);
    }

    private List<String> operations() {
        return fx.proxy.exchanges().stream().map(e -> e.request().operation()).toList();
    }

    @Test
    void aSmallFileIsInvisibleUntilPublishedThenSentWithOnePut() throws IOException {
        String bucket = bucket();
        try (S3Storage storage = new S3Storage(fx.settings(bucket))) {
            Storage.PendingFile file = storage.create("topics/t/partition=0/t+0+0000000001.snappy.parquet");
            byte[] bytes = S3Fixture.randomBytes(300_000, 1);
            S3Fixture.write(file, bytes);
            assertEquals(List.of(), storage.list("topics/"));
            assertEquals(List.of(), fx.s3.listKeys(bucket, ""));
            assertEquals(List.of(), fx.incompleteUploads(bucket));

            file.publish();
            assertEquals(List.of("topics/t/partition=0/t+0+0000000001.snappy.parquet"), storage.list("topics/"));
            assertArrayEquals(bytes, fx.s3.get(bucket, file.key()));
            assertEquals(List.of("ListObjectsV2", "PutObject", "ListObjectsV2"), operations());
        }
    }

    @Test
    void aLargeFileIsStreamedPartByPartAndAppearsOnlyWhenCompleted() throws IOException {
        String bucket = bucket();
        try (S3Storage storage = new S3Storage(fx.settings(bucket))) {
            Storage.PendingFile file = storage.create("topics/t/partition=0/t+0+0000000000.snappy.parquet");
            byte[] bytes = S3Fixture.randomBytes(12 * MIB + 12345, 2);
            S3Fixture.write(file, bytes);

            // Two full 5 MiB parts went out while writing; the 2 MiB rest waits in memory for publish.
            assertEquals(List.of(file.key()), fx.incompleteUploads(bucket));
            String uploadId = fx.direct.listMultipartUploads(b -> b.bucket(bucket)).uploads().get(0).uploadId();
            assertEquals(2, fx.direct.listParts(b -> b.bucket(bucket).key(file.key()).uploadId(uploadId))
                    .parts().size());
            assertEquals(List.of(), storage.list("topics/"));

            file.publish();
            assertEquals(List.of(file.key()), storage.list("topics/"));
            assertEquals(List.of(), fx.incompleteUploads(bucket));
            assertArrayEquals(bytes, fx.s3.get(bucket, file.key()));
            assertEquals(List.of("CreateMultipartUpload", "UploadPart", "UploadPart", "ListObjectsV2",
                    "UploadPart", "CompleteMultipartUpload", "ListObjectsV2"), operations());
            long partBytes = fx.proxy.exchanges().stream()
                    .filter(e -> e.request().operation().equals("UploadPart"))
                    .mapToLong(e -> Long.parseLong(e.request().header("x-amz-decoded-content-length") != null
                            ? e.request().header("x-amz-decoded-content-length")
                            : e.request().header("content-length")))
                    .max().orElseThrow();
            assertEquals(5 * MIB, partBytes, "no part is larger than s3.part.size");
        }
    }

    @Test
    void abortLeavesNothingBehind() throws IOException {
        String bucket = bucket();
        try (S3Storage storage = new S3Storage(fx.settings(bucket))) {
            Storage.PendingFile big = storage.create("topics/t/partition=0/t+0+0000000000.snappy.parquet");
            S3Fixture.write(big, S3Fixture.randomBytes(11 * MIB, 3));
            Storage.PendingFile small = storage.create("topics/t/partition=0/t+0+0000000100.snappy.parquet");
            S3Fixture.write(small, S3Fixture.randomBytes(1000, 4));
            assertEquals(1, fx.incompleteUploads(bucket).size());

            big.abort();
            small.abort();
            assertEquals(List.of(), fx.incompleteUploads(bucket));
            assertEquals(List.of(), fx.s3.listKeys(bucket, ""));
            assertThrows(IOException.class, big::publish, "an aborted file cannot be published");
        }
    }

    @Test
    void discardPendingAbortsOnlyTheGivenPartitionsUploads() throws IOException {
        String bucket = bucket();
        try (S3Storage storage = new S3Storage(fx.settings(bucket))) {
            String mine = "topics/t/partition=0/t+0+0000000000.snappy.parquet";
            String otherPartition = "topics/t/partition=1/t+1+0000000000.snappy.parquet";
            String otherTable = "topics/t2/partition=0/t2+0+0000000000.snappy.parquet";
            for (String key : List.of(mine, otherPartition, otherTable)) {
                // A task that died mid-file: a part is out, nothing published or aborted.
                S3Fixture.write(storage.create(key), S3Fixture.randomBytes(6 * MIB, 5));
            }
            Storage.PendingFile published = storage.create("topics/t/partition=0/t+0+0000000500.snappy.parquet");
            S3Fixture.write(published, S3Fixture.randomBytes(1000, 6));
            published.publish();

            assertEquals(1, storage.discardPending("topics/t/", "t+0+"));
            assertEquals(List.of(otherPartition, otherTable), fx.incompleteUploads(bucket));
            assertEquals(List.of(published.key()), storage.list("topics/t/"), "published files are kept");
            assertEquals(0, storage.discardPending("topics/t/", "t+0+"));
        }
    }

    @Test
    void theFooterOfALargeParquetFileIsReadWithRangedGets(@TempDir Path tmp) throws Exception {
        String bucket = bucket();
        Schema schema = SchemaBuilder.record("row").namespace("test").fields()
                .requiredLong("id").requiredString("payload").endRecord();
        int rows = 11_000;
        String key = "topics/t/partition=0/t+0+0000000040.uncompressed.parquet";
        try (S3Storage storage = new S3Storage(fx.settings(bucket))) {
            Storage.PendingFile file = storage.create(key);
            Random random = new Random(7);
            try (ParquetRecordWriter writer = new ParquetRecordWriter(file.outputFile(), schema,
                    CompressionCodecName.UNCOMPRESSED, 64 << 20, 1 << 20, "t", 0, 40)) {
                byte[] noise = new byte[768];
                for (int i = 0; i < rows; i++) {
                    random.nextBytes(noise);
                    GenericData.Record r = new GenericData.Record(schema);
                    r.put("id", (long) i);
                    r.put("payload", Base64.getEncoder().encodeToString(noise));
                    writer.write(r, 40L + i);
                }
            }
            file.publish();
            long size = fx.direct.headObject(b -> b.bucket(bucket).key(key)).contentLength();
            assertTrue(size > 10 * MIB, "file of " + size + " bytes");

            fx.proxy.clearExchanges();
            assertEquals(Long.toString(40L + rows - 1), ParquetFooters.outflowMetadata(storage.open(key))
                    .get(ParquetRecordWriter.META_END_OFFSET));
            List<Exchange> gets = fx.proxy.exchanges().stream()
                    .filter(e -> e.request().operation().equals("GetObject")).toList();
            assertEquals(List.of("HeadObject", "GetObject"), operations(), "one HEAD for the size, one GET");
            for (Exchange get : gets) {
                assertTrue(get.request().header("range") != null, "ranged GET: " + get.request());
                assertEquals(206, get.status());
            }
            int fetched = gets.stream().mapToInt(Exchange::responseBytes).sum();
            assertTrue(fetched < 100 * 1024, "read " + fetched + " bytes of a " + size + "-byte file");
        }

        Path dir = fx.s3.download(bucket, "topics/", tmp);
        try (DuckDb duck = DuckDb.open()) {
            assertEquals(rows, duck.queryLong("SELECT count(*) FROM " + DuckDb.parquetGlob(dir)));
            assertEquals((long) rows * (rows - 1) / 2, duck.queryLong("SELECT sum(id) FROM " + DuckDb.parquetGlob(dir)));
            assertEquals(1024, duck.queryLong("SELECT max(length(payload)) FROM " + DuckDb.parquetGlob(dir)));
        }
    }

    @Test
    void serverSideEncryptionIsRequestedOnEveryWrite() throws IOException {
        String bucket = bucket();
        S3Settings base = fx.settings(bucket);
        S3Settings kms = new S3Settings(bucket, base.region(), base.endpoint(), true, base.accessKeyId(),
                base.secretAccessKey(), ParquetSinkConfig.SSE_KMS, "alias/lake", base.partSize(), 3, 5,
                base.connectTimeout(), base.socketTimeout());
        try (S3Storage storage = new S3Storage(kms)) {
            Storage.PendingFile small = storage.create("topics/t/partition=0/t+0+0000000000.snappy.parquet");
            S3Fixture.write(small, S3Fixture.randomBytes(10, 8));
            small.publish();
            Storage.PendingFile big = storage.create("topics/t/partition=0/t+0+0000000001.snappy.parquet");
            S3Fixture.write(big, S3Fixture.randomBytes(6 * MIB, 9));
            big.publish();
        }
        List<Exchange> starts = fx.proxy.exchanges().stream().filter(e -> List.of("PutObject",
                "CreateMultipartUpload").contains(e.request().operation())).toList();
        assertEquals(2, starts.size());
        for (Exchange e : starts) {
            assertEquals("aws:kms", e.request().header("x-amz-server-side-encryption"), e.request().toString());
            assertEquals("alias/lake", e.request().header("x-amz-server-side-encryption-aws-kms-key-id"));
        }
    }
}
