package dev.outflow.sink.storage.s3;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.config.types.Password;
import org.apache.parquet.io.PositionOutputStream;

import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.storage.Storage;
import dev.outflow.testing.FaultyHttpProxy;
import dev.outflow.testing.S3Server;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** S3Proxy with a fault-injecting, recording proxy in front, shared by the S3 storage tests of one class. */
final class S3Fixture implements AutoCloseable {
    static final int MIB = 1024 * 1024;

    final S3Server s3 = S3Server.start();
    final FaultyHttpProxy proxy = FaultyHttpProxy.start(s3.endpoint());
    final S3Client direct = s3.client();

    /** Settings for the storage under test: through the proxy, 5 MiB parts, quick retries. */
    S3Settings settings(String bucket) {
        return new S3Settings(bucket, s3.region(), proxy.endpoint(), true, s3.accessKey(),
                new Password(s3.secretKey()), ParquetSinkConfig.SSE_NONE, null, ParquetSinkConfig.MIN_PART_SIZE,
                3, 5, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    String newBucket(String name) {
        s3.createBucket(name);
        return name;
    }

    /** Keys of incomplete multipart uploads in the bucket, asked of S3Proxy directly (not through the proxy). */
    List<String> incompleteUploads(String bucket) {
        return direct.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream().map(MultipartUpload::key)
                .sorted().toList();
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code bytes} through the pending file's Parquet OutputFile, in 100 KiB writes, and closes it. */
    static void write(Storage.PendingFile file, byte[] bytes) throws IOException {
        try (PositionOutputStream out = file.outputFile().createOrOverwrite(0)) {
            for (int off = 0; off < bytes.length; off += 100 * 1024) {
                out.write(bytes, off, Math.min(100 * 1024, bytes.length - off));
            }
        }
    }

    @Override
    public void close() {
        direct.close();
        proxy.close();
        s3.close();
    }
}
