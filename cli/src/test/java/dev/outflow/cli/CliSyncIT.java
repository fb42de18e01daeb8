package dev.outflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.outflow.cli.config.YamlConfigLoader;
import dev.outflow.cli.sync.SyncEngine;
import dev.outflow.cli.sync.SyncFailedException;
import dev.outflow.cli.sync.SyncListener;
import dev.outflow.testing.DuckDb;
import dev.outflow.testing.PostgresServer;

/**
 * The outflow command against a real PostgreSQL, writing local Parquet read back with DuckDB: one-shot syncs,
 * resuming from the watermark, the crash between publishing and storing the state, reset-state and dry run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliSyncIT {

    private PostgresServer pg;
    private DuckDb duck;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        duck = DuckDb.open();
    }

    private String database() {
        return pg.jdbcUrl().substring(pg.jdbcUrl().lastIndexOf('/') + 1);
    }

    @AfterAll
    void stop() {
        duck.close();
        pg.close();
    }

    /** A table whose rows are spread over three days, updated_at set by the database like a real writer. */
    private void createOrders(String table, int rows) {
        pg.execute("DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT "
                        + "clock_timestamp(), amount numeric(10,2), note text)",
                "INSERT INTO " + table + " (updated_at, amount, note) SELECT timestamptz '2026-02-09 10:00:00+00' "
                        + "+ (g % 3) * interval '1 day' + g * interval '1 millisecond', g / 100.0, 'row ' || g "
                        + "FROM generate_series(1, " + rows + ") g");
    }

    private Path yaml(Path dir, String tables) throws IOException {
        Path file = dir.resolve("outflow.yaml");
        Files.writeString(file, """
                postgres:
                  host: localhost
                  port: %d
                  database: %s
                  user: %s
                  password: %s
                output:
                  type: local
                  path: out
                state_dir: state
                batch_size: 200
                %s
                """.formatted(pg.port(), database(), pg.user(), pg.password(), tables));
        return file;
    }

    private long parquetRows(Path dir, String where) {
        return duck.queryLong("SELECT count(*) FROM " + DuckDb.parquetGlob(dir) + (where == null ? "" : " WHERE "
                + where));
    }

    @Test
    void syncOnceWritesEveryRowThenOnlyWhatChanged(@TempDir Path dir) throws IOException {
        createOrders("sync_orders", 1000);
        Path config = yaml(dir, """
                tables:
                  - name: sync_orders
                    incremental_column: updated_at
                    partition_by: date
                """);
        CliRun first = CliRun.of("sync", "--config", config.toString(), "--once");
        assertEquals(0, first.exitCode(), first::toString);
        Path out = dir.resolve("out/sync_orders");
        assertEquals(1000, parquetRows(out, null));
        assertEquals(1000, duck.queryLong("SELECT count(DISTINCT id) FROM " + DuckDb.parquetGlob(out)));
        // Hive-style day directories from updated_at, three days.
        assertEquals(3, duck.queryLong("SELECT count(DISTINCT day) FROM " + DuckDb.parquetGlob(out)));
        assertTrue(Files.isDirectory(out.resolve("year=2026/month=02/day=11")));
        assertEquals(new java.math.BigDecimal("5.00"), duck.queryDecimal("SELECT amount FROM "
                + DuckDb.parquetGlob(out) + " WHERE id = 500"));
        String state = Files.readString(dir.resolve("state/tables/public.sync_orders.json"));
        assertTrue(state.contains("\"nextOffset\" : 1000") && state.contains("timestamp_micros"), state);

        // Nothing changed: a second pass writes nothing.
        CliRun idle = CliRun.of("sync", "--config", config.toString(), "--once");
        assertEquals(0, idle.exitCode(), idle::toString);
        assertEquals(1000, parquetRows(out, null));

        // Updates and inserts: only those are read, each once.
        pg.execute("UPDATE sync_orders SET note = 'changed', updated_at = clock_timestamp() WHERE id <= 10",
                "INSERT INTO sync_orders (amount, note) SELECT g, 'new' FROM generate_series(1, 50) g");
        CliRun third = CliRun.of("sync", "--config", config.toString(), "--once");
        assertEquals(0, third.exitCode(), third::toString);
        assertEquals(1060, parquetRows(out, null));
        assertEquals(10, parquetRows(out, "note = 'changed'"));
        assertEquals(50, parquetRows(out, "note = 'new'"));
        assertEquals(1060, duck.queryLong("SELECT count(DISTINCT (id, updated_at)) FROM "
                + DuckDb.parquetGlob(out)));
        assertNoUnpublishedFiles(dir.resolve("out"));
    }

    /**
     * The replay hazard: the run dies after its files are published but before the state is stored, and rows
     * among the published ones are updated before the next run. Re-reading from the stored watermark and
     * skipping as many records as were published would drop an updated row; the journal resumes exactly after
     * the last published record.
     */
    @Test
    void crashBetweenPublishAndStateStoreLosesAndRepeatsNothing(@TempDir Path dir) throws IOException {
        createOrders("crash_orders", 600);
        Path config = yaml(dir, """
                tables:
                  - name: crash_orders
                    incremental_column: updated_at
                """);
        class Crash extends RuntimeException {
            private static final long serialVersionUID = 1L;
        }
        SyncEngine crashing = new SyncEngine(YamlConfigLoader.load(config), new SyncListener() {
            @Override
            public void beforeStateStore(String table, long nextOffset) {
                throw new Crash();
            }
        });
        SyncFailedException failed = assertThrows(SyncFailedException.class, () -> crashing.run(true));
        assertTrue(failed.getCause() instanceof Crash, () -> String.valueOf(failed.getCause()));
        Path out = dir.resolve("out/crash_orders");
        assertEquals(600, parquetRows(out, null), "the files were published before the crash");
        // Without partition_by the files sit straight in the table's directory.
        assertTrue(Files.exists(out.resolve("crash_orders+0+0000000000.snappy.parquet")), () -> list(out));
        assertFalse(Files.readString(dir.resolve("state/journal.jsonl")).isEmpty(), "the journal holds them");

        // Rows early in the published run move to the end; new rows arrive.
        pg.execute("UPDATE crash_orders SET note = 'moved', updated_at = clock_timestamp() WHERE id IN (1, 2, 3)",
                "INSERT INTO crash_orders (amount, note) SELECT g, 'after crash' FROM generate_series(1, 20) g");
        CliRun again = CliRun.of("sync", "--config", config.toString(), "--once");
        assertEquals(0, again.exitCode(), again::toString);

        assertEquals(623, parquetRows(out, null));
        assertEquals(623, duck.queryLong("SELECT count(DISTINCT (id, updated_at)) FROM " + DuckDb.parquetGlob(out)),
                "every row version exactly once");
        assertEquals(3, parquetRows(out, "note = 'moved'"));
        assertEquals(20, parquetRows(out, "note = 'after crash'"));
        assertEquals(620, duck.queryLong("SELECT count(DISTINCT id) FROM " + DuckDb.parquetGlob(out)));
        String state = Files.readString(dir.resolve("state/tables/public.crash_orders.json"));
        assertTrue(state.contains("\"nextOffset\" : 623"), state);
        assertEquals("", Files.readString(dir.resolve("state/journal.jsonl")), "nothing in flight after a clean run");
    }

    private static String list(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.map(Path::toString).sorted().toList().toString();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing(@TempDir Path dir) throws IOException {
        createOrders("dry_orders", 300);
        Path config = yaml(dir, """
                tables:
                  - name: dry_orders
                    incremental_column: updated_at
                    partition_by: month
                    columns: [id, updated_at, amount]
                """);
        CliRun dry = CliRun.of("sync", "--config", config.toString(), "--dry-run");
        assertEquals(0, dry.exitCode(), dry::toString);
        String plan = dry.out();
        assertTrue(plan.contains("Table public.dry_orders"), plan);
        assertTrue(plan.contains("timestamp on (\"updated_at\", \"id\")"), plan);
        assertTrue(plan.contains("watermark:   none stored"), plan);
        assertTrue(plan.contains("rows to read: 300"), plan);
        assertTrue(plan.contains("dry_orders/year=YYYY/month=MM/dry_orders+0+<offset>.snappy.parquet"), plan);
        assertTrue(plan.matches("(?s).*updated_at\\s+timestamptz\\s+-> INT64 TIMESTAMP\\(MICROS,true\\).*"), plan);
        assertTrue(plan.matches("(?s).*amount\\s+numeric\\s+-> .*DECIMAL\\(10,2\\).*"), plan);
        assertFalse(plan.contains("note"), "columns: leaves note out");
        assertFalse(Files.exists(dir.resolve("out")), "no output written");
        assertFalse(Files.exists(dir.resolve("state")), "no state written");

        // After a sync and some new rows, the plan shows the stored watermark and only the new rows.
        assertEquals(0, CliRun.of("sync", "--config", config.toString(), "--once").exitCode());
        pg.execute("INSERT INTO dry_orders (amount) SELECT g FROM generate_series(1, 7) g");
        CliRun second = CliRun.of("sync", "--config", config.toString(), "--dry-run");
        assertTrue(second.out().contains("rows to read: 7"), second::toString);
        assertTrue(second.out().contains("watermark:   {"), second::toString);
    }

    @Test
    void resetStateMakesTheNextSyncReadEverythingAgainIntoNewFiles(@TempDir Path dir) throws IOException {
        createOrders("reset_a", 100);
        createOrders("reset_b", 50);
        Path config = yaml(dir, """
                tables:
                  - name: reset_a
                    incremental_column: updated_at
                  - reset_b
                """);
        assertEquals(0, CliRun.of("sync", "--config", config.toString(), "--once").exitCode());
        List<Path> before = parquetFiles(dir.resolve("out/reset_a"));

        CliRun reset = CliRun.of("reset-state", "--config", config.toString(), "--table", "reset_a");
        assertEquals(0, reset.exitCode(), reset::toString);
        assertTrue(reset.out().contains("Reset public.reset_a"), reset::toString);
        CliRun unknown = CliRun.of("reset-state", "--config", config.toString(), "--table", "nope");
        assertEquals(2, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("No stored state for table nope"), unknown::toString);

        assertEquals(0, CliRun.of("sync", "--config", config.toString(), "--once").exitCode());
        // reset_a was read again whole, into new files next to the old ones; reset_b was left alone.
        assertEquals(200, parquetRows(dir.resolve("out/reset_a"), null));
        assertTrue(parquetFiles(dir.resolve("out/reset_a")).containsAll(before));
        assertEquals(50, parquetRows(dir.resolve("out/reset_b"), null));

        assertEquals(0, CliRun.of("reset-state", "--config", config.toString()).exitCode());
        assertEquals(0, CliRun.of("sync", "--config", config.toString(), "--once").exitCode());
        assertEquals(300, parquetRows(dir.resolve("out/reset_a"), null));
    }

    @Test
    void discoversTheTablesOfASchemaMinusExcluded(@TempDir Path dir) throws IOException {
        pg.execute("CREATE SCHEMA IF NOT EXISTS disco",
                "CREATE TABLE IF NOT EXISTS disco.keep1 (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text)",
                "CREATE TABLE IF NOT EXISTS disco.keep2 (id int PRIMARY KEY, v text)",
                "CREATE TABLE IF NOT EXISTS disco.skip (id int PRIMARY KEY)",
                "INSERT INTO disco.keep1 (v) VALUES ('a'), ('b')",
                "INSERT INTO disco.keep2 VALUES (1, 'x')", "INSERT INTO disco.skip VALUES (1)");
        Path config = yaml(dir, """
                schema: disco
                exclude: [skip]
                """);
        CliRun run = CliRun.of("sync", "--config", config.toString(), "--once");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(2, parquetRows(dir.resolve("out/keep1"), null));
        assertEquals(1, parquetRows(dir.resolve("out/keep2"), null));
        assertFalse(Files.exists(dir.resolve("out/skip")));
    }

    private static List<Path> parquetFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".parquet")).toList();
        }
    }

    private static void assertNoUnpublishedFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".inprogress")).toList());
        }
    }
}
