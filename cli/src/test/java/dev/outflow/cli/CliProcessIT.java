package dev.outflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.outflow.testing.DuckDb;
import dev.outflow.testing.PostgresServer;

/**
 * The shipped command, started through bin/outflow as its own process: continuous syncing while rows arrive,
 * then SIGTERM, which must stop it cleanly (exit 0, nothing half-published, state stored).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliProcessIT {

    private PostgresServer pg;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
    }

    @AfterAll
    void stop() {
        pg.close();
    }

    @Test
    void continuousSyncFollowsChangesAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        pg.execute("CREATE TABLE cont_orders (id bigserial PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT "
                + "clock_timestamp(), v text)",
                "INSERT INTO cont_orders (v) SELECT 'v' || g FROM generate_series(1, 200) g");
        Path config = writeConfig(dir, """
                poll_interval: 300ms
                tables:
                  - name: cont_orders
                    incremental_column: updated_at
                """);
        ProcessBuilder builder = command(dir, "outflow.log", List.of("sh", LAUNCHER.toString(), "sync", "--config",
                config.toString()));
        Process process = builder.start();
        Path out = dir.resolve("out/cont_orders");
        try (DuckDb duck = DuckDb.open()) {
            LongSupplier rows = () -> Files.isDirectory(out) && hasParquet(out)
                    ? duck.queryLong("SELECT count(*) FROM " + DuckDb.parquetGlob(out)) : 0;
            waitFor(rows, 200, process, dir);
            pg.execute("INSERT INTO cont_orders (v) SELECT 'more' || g FROM generate_series(1, 100) g");
            waitFor(rows, 300, process, dir);
            pg.execute("UPDATE cont_orders SET v = 'updated', updated_at = clock_timestamp() WHERE id <= 5");
            waitFor(rows, 305, process, dir);
            // The pass that published the last rows reports them once their position is stored.
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.readString(dir.resolve("outflow.log")).contains("305 rows written")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }

            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stopped within a minute");
            String log = Files.readString(dir.resolve("outflow.log"));
            assertEquals(0, process.exitValue(), log);
            assertEquals(305, rows.getAsLong());
            assertEquals(305, duck.queryLong("SELECT count(DISTINCT (id, updated_at)) FROM "
                    + DuckDb.parquetGlob(out)));
            assertTrue(log.contains("public.cont_orders: 300 rows read") || log.contains("rows read"), log);
            assertFalse(log.contains("\r"), "no live progress line when not on a terminal");
            // The last progress line counts the files really there (counted again only when a table moved).
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("public\\.cont_orders: \\d+ rows read, "
                    + "(\\d+) rows written, (\\d+) files").matcher(log);
            String written = null;
            String files = null;
            while (m.find()) {
                written = m.group(1);
                files = m.group(2);
            }
            assertEquals("305", written, log);
            try (Stream<Path> parquet = Files.walk(out)) {
                assertEquals(String.valueOf(parquet.filter(p -> p.toString().endsWith(".parquet")).count()), files,
                        log);
            }
        } finally {
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir.resolve("out"))) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".inprogress")).toList(),
                    "nothing half-published");
        }
        String state = Files.readString(dir.resolve("state/tables/public.cont_orders.json"));
        assertTrue(state.contains("\"nextOffset\" : 305"), state);
    }

    /**
     * On a terminal the command shows one live line rewritten in place ('\r') instead of log lines. util-linux's
     * {@code script} gives the child a pseudo-terminal, as an interactive shell would.
     */
    @Test
    void onATerminalProgressIsOneLiveLine(@TempDir Path dir) throws Exception {
        pg.execute("CREATE TABLE tty_orders (id bigserial PRIMARY KEY, v text)",
                "INSERT INTO tty_orders (v) SELECT 'v' || g FROM generate_series(1, 50) g");
        Path config = writeConfig(dir, """
                tables:
                  - name: tty_orders
                """);
        Path script = Stream.of("/usr/bin/script", "/bin/script").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new AssertionError("this test needs util-linux's script command "
                        + "(Debian: apt-get install bsdutils) to give the command a terminal"));
        ProcessBuilder builder = command(dir, "tty.log", List.of(script.toString(), "-qec", "sh '" + LAUNCHER
                + "' sync --config '" + config + "' --once", "/dev/null"));
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "finished within two minutes");
            String out = Files.readString(dir.resolve("tty.log"));
            assertEquals(0, process.exitValue(), out);
            assertTrue(out.matches("(?s).*\\r\\d+ rows/s \\| public\\.tty_orders: 50 read, 50 written, 1 files.*"),
                    out);
            assertFalse(out.contains("rows read"), "no per-table log lines on a terminal: " + out);
        } finally {
            process.destroyForcibly();
        }
    }

    /** The shipped launcher, which runs the shaded jar. */
    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).resolve("../bin/outflow")
            .normalize();

    /** An outflow.yaml for the test database and a local lake under {@code dir}, then {@code rest}. */
    private Path writeConfig(Path dir, String rest) throws IOException {
        String database = pg.jdbcUrl().substring(pg.jdbcUrl().lastIndexOf('/') + 1);
        Path config = dir.resolve("outflow.yaml");
        Files.writeString(config, """
                postgres:
                  host: 127.0.0.1
                  port: %d
                  database: %s
                  user: %s
                  password_env: TEST_PG_PASSWORD
                output:
                  type: local
                  path: out
                state_dir: state
                """.formatted(pg.port(), database, pg.user()) + rest);
        return config;
    }

    /** A child process in {@code dir} with the password in the environment and its output in {@code logName}. */
    private ProcessBuilder command(Path dir, String logName, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile()).directory(dir.toFile());
        builder.environment().put("TEST_PG_PASSWORD", pg.password());
        builder.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
        builder.environment().put("OUTFLOW_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        return builder;
    }

    private static boolean hasParquet(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> p.toString().endsWith(".parquet"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void waitFor(LongSupplier rows, long expected, Process process, Path dir) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (rows.getAsLong() < expected) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + expected + " rows, have " + rows.getAsLong() + "; log:\n"
                        + Files.readString(dir.resolve("outflow.log")));
            }
            Thread.sleep(200);
        }
    }
}
