package dev.outflow.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import dev.outflow.cli.Exit;
import dev.outflow.cli.config.YamlConfigLoader;
import dev.outflow.cli.sync.SyncEngine;

/**
 * {@code outflow demo}: a throwaway PostgreSQL with a small shop in it, synced continuously into a local lake
 * while the shop keeps changing, so incremental sync can be watched. Nothing to install but Java.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a throwaway PostgreSQL (embedded, nothing to install) with a small shop schema, sync "
                + "it continuously into Parquet under --dir while rows keep changing, and remove the database on "
                + "exit (Ctrl-C). The files and the demo's outflow.yaml stay in --dir."})
public final class DemoCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);

    @Option(names = "--dir", defaultValue = "outflow-demo", description = "Where the demo writes: the lake, its "
            + "state and its outflow.yaml (default: ${DEFAULT-VALUE}). An earlier demo's output there is replaced.")
    Path dir;

    @Option(names = "--change-every", defaultValue = "5", paramLabel = "<seconds>",
            description = "Seconds between two rounds of changes in the shop (default: ${DEFAULT-VALUE}).")
    int changeEvery;

    @Option(names = "--run-for", paramLabel = "<seconds>",
            description = "Stop by itself after this many seconds (default: run until Ctrl-C).")
    Integer runFor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (changeEvery < 1) {
            throw new ParameterException(spec.commandLine(), "--change-every must be at least 1 second");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path root = dir.toAbsolutePath().normalize();
        prepare(root);
        out.println("outflow demo: starting a throwaway PostgreSQL (embedded binaries, nothing to install)...");
        out.flush();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<SyncEngine> running = new AtomicReference<>();
        // Ctrl-C / SIGTERM: stop the sync (it publishes what it read), then let call() remove the database.
        Thread hook = new Thread(() -> {
            SyncEngine engine = running.get();
            if (engine != null) {
                engine.stop();
            }
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(Exit.OK);
        }, "outflow-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService shop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outflow-demo-shop");
            t.setDaemon(true);
            return t;
        });
        try (DemoDatabase db = DemoDatabase.start()) {
            out.println("PostgreSQL is up on 127.0.0.1:" + db.port() + " with schema shop (customers, products, "
                    + "orders, order_lines).");
            Path config = DemoConfig.write(root, db);
            out.println("Syncing it with " + config + " into " + root.resolve("lake") + " ...");
            out.flush();
            DemoConsole console = new DemoConsole(out, root.resolve("lake"));
            SyncEngine engine = new SyncEngine(YamlConfigLoader.load(config), console);
            running.set(engine);
            DemoChanges changes = new DemoChanges(db);
            shop.scheduleWithFixedDelay(() -> {
                try {
                    console.changed(changes.applyOne());
                } catch (SQLException | RuntimeException e) {
                    log.warn("The demo shop could not change rows: {}", e.getMessage());
                }
            }, changeEvery, changeEvery, TimeUnit.SECONDS);
            if (runFor != null) {
                shop.schedule(engine::stop, runFor, TimeUnit.SECONDS);
            }
            engine.run(false);
            shop.shutdownNow();
            shop.awaitTermination(10, TimeUnit.SECONDS);
            out.println("Stopped. Removing the demo database; the files stay under " + root.resolve("lake"));
            out.flush();
        } finally {
            shop.shutdownNow();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running and ends it
            }
        }
        return Exit.OK;
    }

    /**
     * An earlier demo's lake and state belong to a database that is gone: start from an empty directory. Anything
     * else in an existing non-empty directory is somebody's, so the demo refuses to touch it.
     */
    private void prepare(Path root) {
        try {
            if (Files.isDirectory(root) && !isEmpty(root)) {
                if (!DemoConfig.isDemoDirectory(root)) {
                    throw new ParameterException(spec.commandLine(), root + " exists and was not written by outflow "
                            + "demo; pass another --dir (or remove it)");
                }
                for (String part : new String[] {"lake", "state", "outflow.yaml"}) {
                    deleteRecursively(root.resolve(part));
                }
            }
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the demo directory " + root + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
