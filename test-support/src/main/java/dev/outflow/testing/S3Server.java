package dev.outflow.testing;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * An S3 endpoint in this JVM: S3Proxy over jclouds' in-memory ("transient") blob store, with real AWS signature
 * checking (V2 or V4), so a sink that signs wrongly or loses its credentials fails here too.
 * Objects live in memory and disappear on {@link #close()}.
 */
public final class S3Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3Server.class);

    private static final String ACCESS_KEY = "outflow-ak";
    private static final String SECRET_KEY = "outflow-sk";
    private static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client; // for the helpers below; closed with the server

    private S3Server(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.client = client();
    }

    public static S3Server start() {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("transient", new Properties()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            // start() returns before Jetty is listening; the real port is only known once it is.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy not STARTED after 30 s (state " + proxy.getState() + ")");
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            stopQuietly(proxy);
            throw new IllegalStateException("Could not start S3Proxy: " + e, e);
        }
        S3Server server = new S3Server(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
        log.info("S3 endpoint at {}", server.endpoint);
        return server;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /** A new SDK v2 client for this endpoint (path-style: no per-bucket DNS names). The caller closes it. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    /** Every key under {@code prefix} (all pages), sorted. */
    public List<String> listKeys(String bucket, String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                .contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    public byte[] get(String bucket, String key) {
        return client.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asByteArray();
    }

    /**
     * Copies every object under {@code prefix} to {@code targetDir}, keeping the key's path below the prefix
     * (so Hive-style partition directories survive, for DuckDB's hive_partitioning). Returns {@code targetDir}.
     */
    public Path download(String bucket, String prefix, Path targetDir) {
        Path root = targetDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            for (String key : listKeys(bucket, prefix)) {
                String relative = key.substring(prefix.length());
                while (relative.startsWith("/")) {
                    relative = relative.substring(1);
                }
                if (relative.isEmpty() || relative.endsWith("/")) {
                    continue; // a "directory marker" object, or the prefix was a whole key
                }
                Path file = root.resolve(relative).normalize();
                if (!file.startsWith(root)) {
                    throw new IllegalStateException("Key " + key + " escapes " + root);
                }
                Files.createDirectories(file.getParent());
                Files.write(file, get(bucket, key));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not download s3://" + bucket + "/" + prefix + " to " + root, e);
        }
        return root;
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            log.warn("Could not stop S3Proxy cleanly", e);
        }
    }

    @Override
    public void close() {
        client.close();
        stopQuietly(proxy);
        log.info("S3 endpoint {} stopped", endpoint);
    }
}
