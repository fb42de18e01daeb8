package dev.outflow.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Apicurio Registry 2.6 (in-memory storage) as a child JVM: the schema registry our Avro converter talks to.
 * It offers the Confluent-compatible API under {@code /apis/ccompat/v7}.
 *
 * <p>The server is not a Maven dependency we can put on the classpath (it is a Quarkus app with its own
 * libraries): maven-dependency-plugin's {@code unpack-schema-registry} execution unpacks it into the directory
 * named by system property {@value #DIR_PROPERTY}.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);

    public static final String DIR_PROPERTY = "outflow.apicurio.dir";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path logFile;

    private SchemaRegistryServer(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    public static SchemaRegistryServer start() {
        Path runnerJar = findRunnerJar();
        int port = Ports.freePort();
        Path logFile = Path.of("target", "apicurio-registry-" + port + ".log").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Guarded: the registry stops when this JVM is gone, however it ends.
        ProcessBuilder builder = new ProcessBuilder(ChildProcesses.orphanGuarded("registry-guard", List.of(
                java, "-Xmx384m", "-XX:+UseSerialGC",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-jar", runnerJar.toString())))
                .directory(runnerJar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Process process;
        try {
            Files.createDirectories(logFile.getParent());
            process = ChildProcesses.start(builder);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + builder.command(), e);
        }
        SchemaRegistryServer server = new SchemaRegistryServer(process, port, logFile);
        try {
            server.awaitReady();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("Schema registry ready at {} (log {})", server.url(), logFile);
        return server;
    }

    /**
     * Base URL {@code http://127.0.0.1:PORT}. Apicurio's converter takes it as {@code apicurio.registry.url}
     * (it appends {@code /apis/registry/v2} itself); the Confluent-compatible API is at {@code url() + "/apis/ccompat/v7"}.
     */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Whether the registry's JVM is still alive. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Where the server's own output goes (quoted in failures). */
    public Path logFile() {
        return logFile;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Schema registry exited with code " + process.exitValue()
                        + " before it was ready. Log " + logFile + ":\n" + Files2.tail(logFile, 40));
            }
            try {
                HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
            }
            Support.sleep(200);
        }
        throw new IllegalStateException("Schema registry not ready at " + url() + "/health/ready after "
                + READY_TIMEOUT.toSeconds() + " s (last: " + last + "). Log " + logFile + ":\n"
                + Files2.tail(logFile, 40));
    }

    static Path findRunnerJar() {
        String dir = System.getProperty(DIR_PROPERTY);
        String howTo = " The server is unpacked by maven-dependency-plugin's 'unpack-schema-registry' execution"
                + " (bind it to generate-test-resources in the module's pom, as test-support does) and surefire/failsafe"
                + " pass its directory as -D" + DIR_PROPERTY + ". Run e.g. `./mvnw -pl <module> generate-test-resources`"
                + " or the whole `./mvnw -pl <module> verify`; from an IDE, add -D" + DIR_PROPERTY
                + "=<module>/target/apicurio to the test run configuration.";
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("System property " + DIR_PROPERTY + " is not set." + howTo);
        }
        Path root = Path.of(dir);
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException(DIR_PROPERTY + "=" + root + " does not exist." + howTo);
        }
        try (Stream<Path> files = Files.walk(root, 6)) {
            List<Path> jars = files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("apicurio-registry-app-") && name.endsWith("-runner.jar");
            }).toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("No apicurio-registry-app-*-runner.jar under " + DIR_PROPERTY
                        + "=" + root + "." + howTo);
            }
            return jars.get(0).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** Stops the registry JVM (and anything it started) and waits for it to exit. */
    @Override
    public void close() {
        ChildProcesses.destroy(process, 15);
        log.info("Schema registry on port {} stopped", port);
    }
}
