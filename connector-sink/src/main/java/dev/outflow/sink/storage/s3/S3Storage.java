package dev.outflow.sink.storage.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.parquet.io.InputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.sink.storage.Storage;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Files in an S3 bucket (or an S3-compatible store). A pending file is an open multipart upload, which S3 never
 * lists or serves; publishing completes it, which makes the whole object appear at its key in one step. So the
 * atomicity {@link Storage} promises comes from S3 itself, with no temporary object to rename or clean up.
 *
 * <p>Keys are used as given: {@code topics.dir} is already their first segment, so no extra prefix is needed.
 */
public final class S3Storage implements Storage {
    private static final Logger log = LoggerFactory.getLogger(S3Storage.class);

    private final S3Settings settings;
    private final S3Client client;
    private final S3Retry retry;

    public S3Storage(S3Settings settings) {
        this.settings = settings;
        this.client = S3Clients.create(settings);
        this.retry = new S3Retry(settings.retries(), settings.retryBackoffMs());
        log.info("S3 storage: {}", settings);
    }

    @Override
    public PendingFile create(String key) {
        return new S3Upload(client, settings, retry, key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            ListObjectsV2Response response = retry.call("list " + prefix,
                    n -> client.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(prefix).continuationToken(page)));
            for (S3Object object : response.contents()) {
                keys.add(object.key());
            }
            token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }

    /** Deletes a published object (recovery rolls back a checkpoint that was cut short). */
    @Override
    public void delete(String key) throws IOException {
        retry.call("delete " + key, n -> client.deleteObject(b -> b.bucket(settings.bucket()).key(key)));
    }

    @Override
    public InputFile open(String key) {
        return new S3InputFile(client, settings.bucket(), key, retry);
    }

    /**
     * Aborts the multipart uploads under {@code prefix} whose file name starts with {@code fileNamePrefix}: what a
     * task that died mid-file left behind. Uploads of other partitions (other tasks' files in progress) are
     * left alone.
     */
    @Override
    public int discardPending(String prefix, Collection<String> fileNamePrefixes) throws IOException {
        List<MultipartUpload> leftovers = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        while (true) {
            String km = keyMarker;
            String um = uploadIdMarker;
            ListMultipartUploadsResponse page = retry.call("list incomplete uploads under " + prefix,
                    n -> client.listMultipartUploads(b -> b.bucket(settings.bucket()).prefix(prefix)
                            .keyMarker(km).uploadIdMarker(um)));
            for (MultipartUpload upload : page.uploads()) {
                String fileName = upload.key().substring(upload.key().lastIndexOf('/') + 1);
                if (fileNamePrefixes.stream().anyMatch(fileName::startsWith)) {
                    leftovers.add(upload);
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextKeyMarker() == null) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
        }
        for (MultipartUpload upload : leftovers) {
            S3Upload.abort(client, retry, settings.bucket(), upload.key(), upload.uploadId());
        }
        if (!leftovers.isEmpty()) {
            log.info("Aborted {} incomplete upload(s) of {} under s3://{}/{} left by an earlier attempt",
                    leftovers.size(), fileNamePrefixes.stream().map(p -> p + "*").toList(), settings.bucket(), prefix);
        }
        return leftovers.size();
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return settings.location();
    }
}
