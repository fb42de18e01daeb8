package dev.outflow.sink.storage.s3;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A published object, read with ranged GETs. Recovery reads only a file's footer, at its end, so the stream
 * fetches windows of {@value #WINDOW} bytes around what is read and never the whole object; a window that would
 * run past the end is moved back to end there, so reading the 8-byte tail of a file also fetches its footer.
 */
final class S3InputFile implements InputFile {
    static final int WINDOW = 64 * 1024;

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final S3Retry retry;
    private long length = -1;

    S3InputFile(S3Client client, String bucket, String key, S3Retry retry) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.retry = retry;
    }

    @Override
    public long getLength() throws IOException {
        if (length < 0) {
            length = retry.call("size of " + key,
                    n -> client.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        }
        return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        return new RangedStream(getLength());
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }

    private final class RangedStream extends SeekableInputStream {
        private final long size;
        private long pos;
        private byte[] window = new byte[0];
        private long windowStart;

        RangedStream(long size) {
            this.size = size;
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos < 0 || newPos > size) {
                throw new EOFException("Cannot seek to " + newPos + " in " + S3InputFile.this + " (" + size
                        + " bytes)");
            }
            pos = newPos;
        }

        @Override
        public int read() throws IOException {
            if (pos >= size) {
                return -1;
            }
            fill(1);
            return window[(int) (pos++ - windowStart)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= size) {
                return -1;
            }
            fill(len);
            int n = (int) Math.min(len, windowStart + window.length - pos);
            System.arraycopy(window, (int) (pos - windowStart), b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            while (len > 0) {
                int n = read(bytes, start, len);
                if (n < 0) {
                    throw new EOFException("Unexpected end of " + S3InputFile.this + " at " + pos);
                }
                start += n;
                len -= n;
            }
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            int len = buf.remaining();
            if (len == 0) {
                return 0;
            }
            byte[] tmp = new byte[Math.min(len, WINDOW)];
            int n = read(tmp, 0, tmp.length);
            if (n > 0) {
                buf.put(tmp, 0, n);
            }
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            byte[] tmp = new byte[buf.remaining()];
            readFully(tmp);
            buf.put(tmp);
        }

        /** Makes the window hold {@code pos} (and up to {@code wanted} bytes from it, if they fit in one GET). */
        private void fill(int wanted) throws IOException {
            if (pos >= windowStart && pos < windowStart + window.length) {
                return;
            }
            long span = Math.max(WINDOW, wanted);
            long start = pos + span > size ? Math.max(0, size - span) : pos;
            long end = Math.min(size, start + span); // exclusive
            String range = "bytes=" + start + "-" + (end - 1);
            ResponseBytes<GetObjectResponse> bytes = retry.call("read " + range + " of " + key,
                    n -> client.getObject(b -> b.bucket(bucket).key(key).range(range), ResponseTransformer.toBytes()));
            byte[] data = bytes.asByteArrayUnsafe();
            if (data.length != end - start) {
                throw new IOException(S3InputFile.this + " changed while being read: asked for " + range + ", got "
                        + data.length + " bytes");
            }
            window = data;
            windowStart = start;
        }
    }
}
