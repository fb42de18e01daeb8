package dev.outflow.sink.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.connect.errors.RetriableException;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.storage.Storage;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * One file on its way to S3. Bytes from the Parquet writer collect in a buffer of at most one part
 * ({@code s3.part.size}); each full part is sent right away as a part of a multipart upload, started when the
 * first part fills. Publishing sends the rest and completes the upload, which is when the object appears. A file
 * that never fills a part is sent with one PUT at publish time instead: just as atomic, one request instead of
 * three. Nothing is readable at the key before {@link #publish()}, and {@link #abort()} leaves nothing behind.
 *
 * <p>Every upload carries a random id in its metadata. If a CompleteMultipartUpload succeeded but its answer was
 * lost, the retry finds the upload gone (NoSuchUpload); the object at the key carrying our id proves the first
 * attempt went through, where another writer's object (or none) means the upload really was lost.
 */
final class S3Upload implements Storage.PendingFile {
    private static final Logger log = LoggerFactory.getLogger(S3Upload.class);

    static final String WRITE_ID = "outflow-write-id";
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final S3Client client;
    private final S3Settings settings;
    private final S3Retry retry;
    private final String key;
    private final String writeId = UUID.randomUUID().toString();
    private final List<CompletedPart> parts = new ArrayList<>();

    private byte[] buffer = new byte[0];
    private int buffered;
    private long position;
    private String uploadId;
    private boolean streamCreated;
    private State state = State.OPEN;

    private enum State { OPEN, FAILED, PUBLISHED, ABORTED }

    S3Upload(S3Client client, S3Settings settings, S3Retry retry, String key) {
        this.client = client;
        this.settings = settings;
        this.retry = retry;
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public OutputFile outputFile() {
        return new OutputFile() {
            @Override
            public PositionOutputStream create(long blockSizeHint) {
                return stream();
            }

            @Override
            public PositionOutputStream createOrOverwrite(long blockSizeHint) {
                return stream();
            }

            @Override
            public boolean supportsBlockSize() {
                return false;
            }

            @Override
            public long defaultBlockSize() {
                return 0;
            }

            @Override
            public String getPath() {
                return "s3://" + settings.bucket() + "/" + key;
            }
        };
    }

    private PositionOutputStream stream() {
        if (streamCreated) {
            throw new IllegalStateException("s3://" + settings.bucket() + "/" + key + " is already being written");
        }
        streamCreated = true;
        return new PositionOutputStream() {
            @Override
            public long getPos() {
                return position;
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                append(b, off, len);
            }

            @Override
            public void close() {
                // Closing the Parquet writer closes this stream; the upload completes only in publish().
            }
        };
    }

    private void append(byte[] b, int off, int len) throws IOException {
        checkWritable();
        while (len > 0) {
            int n = Math.min(len, settings.partSize() - buffered);
            ensureCapacity(buffered + n);
            System.arraycopy(b, off, buffer, buffered, n);
            buffered += n;
            position += n;
            off += n;
            len -= n;
            if (buffered == settings.partSize()) {
                uploadBufferedPart();
            }
        }
    }

    /** Grows the buffer as bytes come, so a small file never holds a whole part's worth of memory. */
    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int size = Math.max(needed, Math.min(settings.partSize(), Math.max(INITIAL_BUFFER, buffer.length * 2)));
            buffer = Arrays.copyOf(buffer, size);
        }
    }

    private void checkWritable() throws IOException {
        if (state != State.OPEN) {
            throw new IOException("s3://" + settings.bucket() + "/" + key + " can no longer be written ("
                    + state.name().toLowerCase() + ")");
        }
    }

    private void uploadBufferedPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = retry.call("start upload of " + key, n -> client.createMultipartUpload(
                        createRequest()).uploadId());
            }
            int partNumber = parts.size() + 1;
            byte[] bytes = buffer;
            int length = buffered;
            String eTag = retry.call("upload part " + partNumber + " of " + key, n -> client.uploadPart(
                    b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId).partNumber(partNumber),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                            "application/octet-stream")).eTag());
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
            buffered = 0;
        } catch (IOException | RuntimeException e) {
            state = State.FAILED; // the Parquet writer's bytes are gone: this file cannot be finished
            throw e;
        }
    }

    private CreateMultipartUploadRequest createRequest() {
        var b = CreateMultipartUploadRequest.builder().bucket(settings.bucket()).key(key)
                .contentType("application/vnd.apache.parquet").metadata(Map.of(WRITE_ID, writeId));
        if (!settings.sse().isEmpty()) {
            b.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
            if (ParquetSinkConfig.SSE_KMS.equals(settings.sse()) && settings.kmsKeyId() != null) {
                b.ssekmsKeyId(settings.kmsKeyId());
            }
        }
        return b.build();
    }

    /** The request that starts this upload, for {@link S3Check}'s permission probe. */
    CreateMultipartUploadRequest createRequestForCheck() {
        return createRequest();
    }

    private PutObjectRequest putRequest() {
        var b = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                .contentType("application/vnd.apache.parquet").metadata(Map.of(WRITE_ID, writeId));
        if (!settings.sse().isEmpty()) {
            b.serverSideEncryption(ServerSideEncryption.fromValue(settings.sse()));
            if (ParquetSinkConfig.SSE_KMS.equals(settings.sse()) && settings.kmsKeyId() != null) {
                b.ssekmsKeyId(settings.kmsKeyId());
            }
        }
        return b.build();
    }

    @Override
    public void publish() throws IOException {
        checkWritable();
        try {
            if (uploadId == null) {
                byte[] bytes = buffer;
                int length = buffered;
                retry.call("put " + key, n -> client.putObject(putRequest(),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                                "application/vnd.apache.parquet")));
            } else {
                if (buffered > 0) {
                    uploadBufferedPart();
                }
                complete();
            }
        } catch (IOException | RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
        state = State.PUBLISHED;
        buffer = null;
        log.debug("Published s3://{}/{} ({} bytes, {} part(s))", settings.bucket(), key, position,
                Math.max(1, parts.size()));
    }

    private void complete() throws IOException {
        retry.call("complete upload of " + key, n -> {
            try {
                return client.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            } catch (RuntimeException e) {
                if (n > 1 && S3Errors.is(e, "NoSuchUpload") && publishedByUs()) {
                    log.info("Upload of {} had completed although S3's answer was lost", key);
                    return null;
                }
                throw e;
            }
        });
    }

    /** Whether the object at the key is the one this upload wrote. */
    private boolean publishedByUs() throws IOException {
        try {
            HeadObjectResponse head = retry.call("check " + key,
                    n -> client.headObject(b -> b.bucket(settings.bucket()).key(key)));
            return writeId.equals(head.metadata().get(WRITE_ID));
        } catch (IOException e) {
            if (e.getCause() instanceof S3Exception s && s.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void abort() {
        if (state == State.PUBLISHED || state == State.ABORTED) {
            return;
        }
        state = State.ABORTED;
        buffer = null;
        if (uploadId != null) {
            abort(client, retry, settings.bucket(), key, uploadId);
        }
    }

    /** Aborts an upload; gone already counts as done. Never throws: a leftover is cleaned up later. */
    static void abort(S3Client client, S3Retry retry, String bucket, String key, String uploadId) {
        try {
            retry.call("abort upload of " + key, n -> {
                try {
                    return client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                } catch (RuntimeException e) {
                    if (S3Errors.is(e, "NoSuchUpload")) {
                        return null;
                    }
                    throw e;
                }
            });
        } catch (IOException | RuntimeException e) {
            log.warn("Could not abort the incomplete upload of s3://{}/{} ({}); it is aborted when its partition "
                    + "is next assigned, or by a bucket lifecycle rule for incomplete uploads", bucket, key,
                    e instanceof RetriableException ? e.getMessage() : S3Retry.describe(e));
        }
    }
}
