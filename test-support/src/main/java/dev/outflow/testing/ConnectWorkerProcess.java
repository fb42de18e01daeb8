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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A distributed Connect worker in its own JVM ({@code ConnectDistributed}), joined to a broker the test already
 * runs: what a test needs to kill a worker for real ({@link #kill()} is SIGKILL: no task stop, no close, no offset
 * commit, no shutdown hook) and start another one on the same group, config, offset and status topics.
 *
 * <p>The worker's classpath is this JVM's (test classes, connectors, Apicurio's converter, Connect's runtime), and
 * its converters are the Avro ones {@link ConnectCluster} uses. Group and session timeouts are at the broker's
 * minimum (6 s), so a killed worker's place and its tasks' partitions are given up in seconds, not minutes.
 */
public final class ConnectWorkerProcess extends ConnectRestClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectWorkerProcess.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process guard;
    private final int port;
    private final Path logFile;

    private ConnectWorkerProcess(Process guard, int port, Path logFile) {
        this.guard = guard;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts a worker of Connect cluster {@code groupId} (its internal topics are named after it) and waits until
     * its REST API answers. {@code extraProps} are applied last.
     */
    public static ConnectWorkerProcess start(String bootstrapServers, String groupId, SchemaRegistryServer registry,
            Map<String, String> extraProps) {
        int port = Ports.freePort();
        Path dir = Path.of("target", "connect-workers").toAbsolutePath();
        Path logFile = dir.resolve(groupId + "-" + port + ".log");
        Path propsFile = dir.resolve(groupId + "-" + port + ".properties");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", groupId);
        props.put("config.storage.topic", groupId + "-configs");
        props.put("offset.storage.topic", groupId + "-offsets");
        props.put("status.storage.topic", groupId + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("listeners", "http://127.0.0.1:" + port);
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

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(ChildProcesses.guarded(List.of(
                java, "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.connect.cli.ConnectDistributed", propsFile.toString())))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Process guard;
        try {
            Files.createDirectories(dir);
            Properties properties = new Properties();
            properties.putAll(props);
            try (Writer out = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
                properties.store(out, "Connect worker " + groupId + " started by a test");
            }
            guard = ChildProcesses.start(builder);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a Connect worker: " + builder.command(), e);
        }
        ConnectWorkerProcess worker = new ConnectWorkerProcess(guard, port, logFile);
        try {
            worker.awaitReady();
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
        log.info("Connect worker of {} ready at {} (pid {}, log {})", groupId, worker.restUrl(),
                worker.workerPid().orElse(-1L), logFile);
        return worker;
    }

    @Override
    public String restUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    public Path logFile() {
        return logFile;
    }

    /** The worker JVM's pid (the guard's only child), while it runs. */
    private Optional<Long> workerPid() {
        return guard.children().findFirst().map(ProcessHandle::pid);
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
            guard.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ChildProcesses.destroy(guard, 1);
        log.info("Connect worker at {} killed (SIGKILL)", restUrl());
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!guard.isAlive()) {
                throw new IllegalStateException("Connect worker exited before it was ready. Log " + logFile + ":\n"
                        + Files2.tail(logFile, 60));
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
                + READY_TIMEOUT.toSeconds() + " s (last: " + last + "). Log " + logFile + ":\n"
                + Files2.tail(logFile, 60));
    }

    /** Stops the worker politely (SIGTERM: tasks are stopped and closed), then waits for it. */
    @Override
    public void close() {
        ChildProcesses.destroy(guard, 30);
        log.info("Connect worker at {} stopped", restUrl());
    }
}
