package dev.outflow.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A distributed Connect worker ({@code org.apache.kafka.connect.cli.ConnectDistributed}) in a child JVM, joined to
 * a broker the test runs. Two uses:
 *
 * <ul>
 *   <li>{@link #start(Path, Map)}: the way a real installation runs one, its classpath only a directory of jars
 *       (the worker and its own dependencies) and connectors reached only through {@code plugin.path}. Tests of the
 *       packaged plugin need that: an in-process worker would see every class on the test classpath, and a jar
 *       missing from the plugin's {@code lib/} would go unnoticed.</li>
 *   <li>{@link #startOnTestClasspath}: a worker with this JVM's classpath that a test can {@link #kill()} for
 *       real (SIGKILL: no task stop, no close, no offset commit, no shutdown hook) and replace with another one on
 *       the same group and internal topics.</li>
 * </ul>
 *
 * <p>The child stops with {@link #close()}, and also when the test JVM ends in any way (see {@link ChildProcesses}).
 */
public final class ConnectWorkerProcess extends ConnectRestClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectWorkerProcess.class);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

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

    /** The bash orphan guard; the worker JVM is its only child. */
    private final Process guard;
    private final int port;
    private final Path logFile;

    private ConnectWorkerProcess(Process guard, int port, Path logFile) {
        this.guard = guard;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts a worker whose whole classpath is {@code classpathDir/*} and waits until its REST API answers.
     *
     * @param classpathDir a directory of jars: connect-runtime, its dependencies, a logging binding; nothing else
     * @param workerProps  worker settings: at least bootstrap.servers, group.id, plugin.path and the converters;
     *                     listeners and the internal topics' settings for a one-broker cluster are filled in
     */
    public static ConnectWorkerProcess start(Path classpathDir, Map<String, String> workerProps) {
        if (!Files.isDirectory(classpathDir)) {
            throw new IllegalArgumentException("Worker classpath directory " + classpathDir + " does not exist");
        }
        return launch(classpathDir.toAbsolutePath() + "/*", workerProps);
    }

    /**
     * Starts a worker of Connect cluster {@code groupId} (its internal topics are named after it) with this JVM's
     * classpath (test classes, connectors, Apicurio's converter, Connect's runtime) and the Avro converters
     * {@link ConnectCluster} uses. Group and consumer session timeouts are at the broker's minimum (6 s), so a killed
     * worker's place and its tasks' partitions are given up in seconds, not minutes. {@code extraProps} come last.
     */
    public static ConnectWorkerProcess startOnTestClasspath(String bootstrapServers, String groupId,
            SchemaRegistryServer registry, Map<String, String> extraProps) {
        Map<String, String> props = new TreeMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", groupId);
        props.put("config.storage.topic", groupId + "-configs");
        props.put("offset.storage.topic", groupId + "-offsets");
        props.put("status.storage.topic", groupId + "-status");
        props.put("key.converter", ConnectCluster.AVRO_CONVERTER);
        props.put("value.converter", ConnectCluster.AVRO_CONVERTER);
        ConnectCluster.converterProps(registry).forEach((k, v) -> {
            props.put("key.converter." + k, v);
            props.put("value.converter." + k, v);
        });
        props.put("offset.flush.interval.ms", "1000");
        props.put("plugin.discovery", "hybrid_warn");
        // A dead worker leaves the Connect group, and a dead sink task's consumer its group, after this long.
        props.put("session.timeout.ms", "6000");
        props.put("heartbeat.interval.ms", "2000");
        props.put("consumer.session.timeout.ms", "6000");
        props.put("consumer.heartbeat.interval.ms", "2000");
        // How long a rebalance waits for a departed worker to come back before reassigning its work (default 5 min).
        props.put("scheduled.rebalance.max.delay.ms", "0");
        props.putAll(extraProps);
        return launch(System.getProperty("java.class.path"), props);
    }

    private static ConnectWorkerProcess launch(String classpath, Map<String, String> workerProps) {
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

        Path logFile = Path.of("target", "connect-workers", props.getOrDefault("group.id", "worker") + "-" + port
                + ".log").toAbsolutePath();
        Process guard;
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
            ProcessBuilder builder = new ProcessBuilder(ChildProcesses.orphanGuarded("connect-worker-guard", List.of(
                    java, "-Xmx512m", "-XX:+UseSerialGC",
                    "-Dlog4j2.configurationFile=" + log4j,
                    "-cp", classpath,
                    "org.apache.kafka.connect.cli.ConnectDistributed", propsFile.toString())))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            Files.createDirectories(logFile.getParent());
            guard = ChildProcesses.start(builder);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a Connect worker", e);
        }
        ConnectWorkerProcess worker = new ConnectWorkerProcess(guard, port, logFile);
        try {
            worker.awaitReady();
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
        log.info("Connect worker (child JVM, pid {}) ready at {} (log {})", worker.workerPid().orElse(-1L),
                worker.restUrl(), logFile);
        return worker;
    }

    /** The REST base URL, ending in "/". */
    @Override
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

    @Override
    protected String failureContext() {
        return "\nWorker log " + logFile + ":\n" + logTail(40);
    }

    private Optional<Long> workerPid() {
        return guard.children().findFirst().map(ProcessHandle::pid);
    }

    /** The worker is ready once it has joined its group: GET /connectors answers 200 only then. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!guard.isAlive()) {
                throw new IllegalStateException("Connect worker exited with code " + guard.exitValue()
                        + " before it was ready. Log " + logFile + ":\n" + logTail(60));
            }
            try {
                RestResponse response = rest("GET", "/connectors", null);
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

    /**
     * Kills the worker JVM with SIGKILL, as the kernel's OOM killer or a lost machine would: its tasks get no
     * stop() or close(), nothing is flushed or committed. Returns once the process is gone.
     */
    public void kill() {
        Optional<ProcessHandle> jvm = guard.children().findFirst();
        jvm.ifPresent(ProcessHandle::destroyForcibly);
        jvm.ifPresent(p -> p.onExit().join());
        try {
            guard.waitFor(10, TimeUnit.SECONDS); // the guard ends once its child is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ChildProcesses.destroy(guard, 1);
        log.info("Connect worker at {} killed (SIGKILL)", restUrl());
    }

    /** Stops the worker JVM (SIGTERM: tasks are stopped and closed; SIGKILL after a grace period). */
    @Override
    public void close() {
        ChildProcesses.destroy(guard, 30);
        log.info("Connect worker at {} stopped", restUrl());
    }
}
