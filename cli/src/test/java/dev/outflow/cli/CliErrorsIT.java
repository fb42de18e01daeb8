package dev.outflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.outflow.testing.PostgresServer;

/** Each bad input gets its exit code and a message naming the key, its line and the fix. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliErrorsIT {

    private PostgresServer pg;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        pg.execute("CREATE TABLE IF NOT EXISTS err_orders (id bigint PRIMARY KEY, note text, "
                + "updated_at timestamptz NOT NULL DEFAULT now())");
    }

    private String database() {
        return pg.jdbcUrl().substring(pg.jdbcUrl().lastIndexOf('/') + 1);
    }

    @AfterAll
    void stop() {
        pg.close();
    }

    private CliRun sync(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("outflow.yaml");
        Files.writeString(file, yaml);
        return CliRun.of("sync", "--config", file.toString(), "--once");
    }

    private String postgres(int port, String password) {
        return """
                postgres:
                  host: localhost
                  port: %d
                  database: %s
                  user: %s
                  password: %s
                """.formatted(port, database(), pg.user(), password);
    }

    private String valid() {
        return postgres(pg.port(), pg.password()) + """
                output:
                  path: out
                tables:
                  - name: err_orders
                """;
    }

    @Test
    void aMisspeltKeyIsNamedWithItsLineAndTheKeyMeant(@TempDir Path dir) throws IOException {
        CliRun run = sync(dir, valid() + "    partiton_by: date\n");
        assertEquals(Exit.CONFIG, run.exitCode(), run::toString);
        assertTrue(run.err().contains("outflow.yaml line 11: tables[0].partiton_by is not a known key; did you "
                + "mean partition_by?"), run::toString);
    }

    @Test
    void invalidYamlNamesTheLine(@TempDir Path dir) throws IOException {
        CliRun run = sync(dir, valid() + "batch_size: [1, 2\n");
        assertEquals(Exit.CONFIG, run.exitCode(), run::toString);
        assertTrue(run.err().contains("line ") && run.err().contains("not valid YAML"), run::toString);
    }

    @Test
    void badValuesNameTheirKey(@TempDir Path dir) throws IOException {
        CliRun partition = sync(dir, valid() + "    partition_by: week\n");
        assertEquals(Exit.CONFIG, partition.exitCode(), partition::toString);
        assertTrue(partition.err().contains("line 11: tables[0].partition_by is \"week\"; it must be one of date, "
                + "month, year, hour"), partition::toString);

        CliRun rawKey = sync(dir, valid() + "source:\n  batch.max.row: 10\n");
        assertEquals(Exit.CONFIG, rawKey.exitCode(), rawKey::toString);
        assertTrue(rawKey.err().contains("line 12: source.batch.max.row is not a key of the source connector; did "
                + "you mean batch.max.rows?"), rawKey::toString);

        CliRun missing = sync(dir, postgres(pg.port(), pg.password()) + "tables: [err_orders]\n");
        assertEquals(Exit.CONFIG, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("output is missing"), missing::toString);
    }

    @Test
    void aMissingTableOrColumnNamesTheYamlKey(@TempDir Path dir) throws IOException {
        CliRun table = sync(dir, valid().replace("err_orders", "no_such_table"));
        assertEquals(Exit.CONFIG, table.exitCode(), table::toString);
        assertTrue(table.err().contains("Table public.no_such_table does not exist")
                && table.err().contains("(outflow.yaml line 10, key tables[0].name)"), table::toString);

        CliRun column = sync(dir, valid() + "    incremental_column: changed_at\n");
        assertEquals(Exit.CONFIG, column.exitCode(), column::toString);
        assertTrue(column.err().contains("has no column \"changed_at\" (outflow.yaml line 11, key "
                + "tables[0].incremental_column)"), column::toString);

        CliRun type = sync(dir, valid() + "    incremental_column: note\n");
        assertEquals(Exit.CONFIG, type.exitCode(), type::toString);
        assertTrue(type.err().contains("is of type text; it must be a timestamp, timestamptz or integer column"),
                type::toString);
    }

    @Test
    void anUnreachableDatabaseExitsWith3(@TempDir Path dir) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CliRun down = sync(dir, valid().replace("port: " + pg.port(), "port: " + closedPort));
        assertEquals(Exit.DATABASE_UNREACHABLE, down.exitCode(), down::toString);
        assertTrue(down.err().contains("Cannot connect to jdbc:postgresql://localhost:" + closedPort + "/" + database())
                && down.err().contains("Check that PostgreSQL is running"), down::toString);

        CliRun login = sync(dir, valid().replace("password: " + pg.password(), "password: wrong"));
        assertEquals(Exit.DATABASE_UNREACHABLE, login.exitCode(), login::toString);
        assertTrue(login.err().contains("Check postgres.user and postgres.password"), login::toString);
    }

    @Test
    void anUnwritableOutputExitsWith4(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a-file"), "not a directory");
        CliRun run = sync(dir, valid().replace("path: out", "path: a-file/out"));
        assertEquals(Exit.OUTPUT_UNWRITABLE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Cannot write to " + dir.resolve("a-file/out"))
                && run.err().contains("key output.path"), run::toString);
    }

    @Test
    void versionHelpAndUsage() {
        CliRun version = CliRun.of("--version");
        assertEquals(0, version.exitCode(), version::toString);
        assertTrue(version.out().startsWith("outflow 0."), version::toString);

        CliRun help = CliRun.of("--help");
        assertEquals(0, help.exitCode(), help::toString);
        assertTrue(help.out().contains("sync") && help.out().contains("reset-state")
                && help.out().contains("3  the database cannot be reached"), help::toString);

        CliRun syncHelp = CliRun.of("sync", "--help");
        assertTrue(syncHelp.out().contains("--dry-run") && syncHelp.out().contains("--once"), syncHelp::toString);

        CliRun unknown = CliRun.of("sync", "--onse");
        assertEquals(Exit.CONFIG, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("--onse"), unknown::toString);
    }
}
