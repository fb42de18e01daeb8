package dev.outflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A distributed Connect worker ({@code org.apache.kafka.connect.cli.ConnectDistributed}) in a child JVM, the way
 * a real installation runs one: its classpath is only the directory of jars it is given (the worker and its own
 * dependencies), and connectors reach it only through {@code plugin.path}. That is what tests of the packaged
 * plugin need: an in-process worker would see every class on the test classpath, and a jar missing from the
 * plugin's {@code lib/} would go unnoticed.
 *
 * <p>The child stops with {@link #close()}, and also when the test JVM ends in any way (see {@link ChildProcesses}).
 */
public final class ConnectWorkerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectWorkerProcess.class);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** A FAILED state that lasts this long is final: a new generation of tasks would have replaced it. */
    private static final Duration FAILED_GRACE = Duration.ofSeconds(3);

    private static final String LOG4J2_PROPERTIES = String.join("\n",
            "# Written by dev.outflow.testing.ConnectWorkerProcess",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.stdout.ref = STDOUT",
            "appender.stdout.type = Console",
            "appender.stdout.name = STDOUT",
            "appender.stdout.layout.type = PatternLayout",
            "appender.stdout.layout.pattern = %d{HH:mm:ss.SSS} %-5level [%t] %c{1.} - %msg%n",
            // Every offset commit, once a second with the settings tests use.
            "logger.sinktask.name = org.apache.kafka.connect.runtime.WorkerSinkTask",
            "logger.sinktask.level = WARN",
            "logger.sourcetask.name = org.apache.kafka.connect.runtime.WorkerSourceTask",
            "logger.sourcetask.level = WARN",
            "");

    private final Process process;
    private final int port;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConnectWorkerProcess(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts a worker on a free 127.0.0.1 port and waits until its REST API answers.
     *
     * @param classpathDir a directory of jars: the worker's whole classpath (connect-runtime, its dependencies, a
     *                     logging binding), nothing else
     * @param workerProps  worker settings: at least bootstrap.servers, group.id, plugin.path and the converters;
     *                     listeners and the internal topics' settings for a one-broker cluster are filled in
     */
    public static ConnectWorkerProcess start(Path classpathDir, Map<String, String> workerProps) {
        if (!Files.isDirectory(classpathDir)) {
            throw new IllegalArgumentException("Worker classpath directory " + classpathDir + " does not exist");
        }
        int port = Ports.freePort();
        Map<String, String> props = new TreeMap<>();
        props.put("listeners", "http://127.0.0.1:" + port);
        props.put("config.storage.topic", "connect-configs");
        props.put("offset.storage.topic", "connect-offsets");
        props.put("status.storage.topic", "connect-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.storage.partitions", "1");
        props.put("status.storage.partitions", "1");
        props.putAll(workerProps);

        Path logFile = Path.of("target", "connect-worker-" + port + ".log").toAbsolutePath();
        Process process;
        ProcessBuilder builder;
        try {
            Path configDir = Files.createTempDirectory("outflow-worker-");
            Path propsFile = configDir.resolve("worker.properties");
            Properties properties = new Properties();
            properties.putAll(props);
            try (Writer out = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
                properties.store(out, "Written by dev.outflow.testing.ConnectWorkerProcess");
            }
            Path log4j = configDir.resolve("log4j2.properties");
            Files.writeString(log4j, LOG4J2_PROPERTIES, StandardCharsets.UTF_8);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            builder = new ProcessBuilder(ChildProcesses.orphanGuarded("connect-worker-guard", List.of(
                    java, "-Xmx512m", "-XX:+UseSerialGC",
                    "-Dlog4j2.configurationFile=" + log4j,
                    "-cp", classpathDir.toAbsolutePath() + "/*",
                    "org.apache.kafka.connect.cli.ConnectDistributed", propsFile.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            Files.createDirectories(logFile.getParent());
            process = ChildProcesses.start(builder);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a Connect worker", e);
        }
        ConnectWorkerProcess worker = new ConnectWorkerProcess(process, port, logFile);
        try {
            worker.awaitReady();
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
        log.info("Connect worker (child JVM) ready at {} (log {})", worker.restUrl(), logFile);
        return worker;
    }

    /** The REST base URL, ending in "/". */
    public String restUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Where the worker's own output goes (quoted in failures). */
    public Path logFile() {
        return logFile;
    }

    /** The last lines of the worker's log, for failure messages. */
    public String logTail(int lines) {
        return Files2.tail(logFile, lines);
    }

    /** The worker is ready once it has joined its group: GET /connectors answers 200 only then. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Connect worker exited with code " + process.exitValue()
                        + " before it was ready. Log " + logFile + ":\n" + logTail(60));
            }
            try {
                RestResponse response = send("GET", "/connectors", null, Duration.ofSeconds(5));
                if (response.status() == 200) {
                    return;
                }
                last = "HTTP " + response.status() + " " + response.body();
            } catch (IllegalStateException e) {
                last = e.getMessage(); // not listening yet
            }
            Support.sleep(250);
        }
        throw new IllegalStateException("Connect worker not ready at " + restUrl() + " after "
                + READY_TIMEOUT.toSeconds() + " s (last: " + last + "). Log " + logFile + ":\n" + logTail(60));
    }

    /** Status code and body of a REST call. */
    public record RestResponse(int status, String body) {
    }

    /** Any REST call; {@code path} is relative to the worker root, e.g. "/connectors". Never throws on status. */
    public RestResponse rest(String method, String path, String jsonBody) {
        return send(method, path, jsonBody, Duration.ofSeconds(90)); // a rebalancing worker can hold requests
    }

    /** GET, expecting 2xx; returns the body. */
    public String restGet(String path) {
        return expectSuccess("GET", path, null);
    }

    /** Creates the connector, or replaces its config (PUT /connectors/{name}/config). */
    public void configureConnector(String name, Map<String, String> config) {
        try {
            expectSuccess("PUT", "/connectors/" + encode(name) + "/config", JSON.writeValueAsString(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the connector and exactly {@code tasks} tasks are RUNNING. Fails with the status JSON (which
     * carries task traces) and the worker log's tail on timeout, or once a FAILED state lasts a few seconds.
     */
    public void awaitRunning(String name, int tasks, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long failedSince = 0;
        String last = "(no status yet)";
        while (true) {
            RestResponse response = rest("GET", "/connectors/" + encode(name) + "/status", null);
            last = "HTTP " + response.status() + " " + response.body();
            if (response.status() == 200) {
                JsonNode status = parse(response.body());
                if (isRunning(status, tasks)) {
                    return;
                }
                if (hasFailed(status)) {
                    failedSince = failedSince == 0 ? System.nanoTime() : failedSince;
                    if (System.nanoTime() - failedSince > FAILED_GRACE.toNanos()) {
                        throw new AssertionError("Connector " + name + " FAILED. Status: " + status.toPrettyString()
                                + "\nWorker log " + logFile + ":\n" + logTail(40));
                    }
                } else {
                    failedSince = 0;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Connector " + name + " not RUNNING with " + tasks + " task(s) within "
                        + timeout + ". Last status: " + last + "\nWorker log " + logFile + ":\n" + logTail(40));
            }
            Support.sleep(250);
        }
    }

    private static boolean isRunning(JsonNode status, int tasks) {
        if (!"RUNNING".equals(status.path("connector").path("state").asText())
                || status.path("tasks").size() != tasks) {
            return false;
        }
        for (JsonNode task : status.path("tasks")) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasFailed(JsonNode status) {
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            return true;
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return true;
            }
        }
        return false;
    }

    private String expectSuccess(String method, String path, String jsonBody) {
        RestResponse response = rest(method, path, jsonBody);
        if (response.status() < 200 || response.status() > 299) {
            throw new AssertionError(method + " " + path + " returned HTTP " + response.status() + ": "
                    + response.body() + (jsonBody == null ? "" : "\nRequest body: " + jsonBody));
        }
        return response.body();
    }

    private RestResponse send(String method, String path, String jsonBody, Duration timeout) {
        String url = restUrl() + (path.startsWith("/") ? path.substring(1) : path);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new RestResponse(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + url, e);
        }
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON: " + json, e);
        }
    }

    /** Stops the worker JVM (SIGTERM: a clean shutdown, then SIGKILL after a grace period). */
    @Override
    public void close() {
        ChildProcesses.destroy(process, 20);
        log.info("Connect worker on port {} stopped", port);
    }
}
