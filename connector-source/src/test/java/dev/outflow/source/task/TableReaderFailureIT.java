package dev.outflow.source.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.PostgresSourceConfig;
import dev.outflow.source.connection.ConnectionFactory;
import dev.outflow.testing.CapturedLog;
import dev.outflow.testing.PostgresServer;

/**
 * How the source's reads behave against a real PostgreSQL: they run in read-only transactions, and a page whose
 * transaction fails after its rows were read (the database restarted between the query and the commit) is read
 * again whole, since its records were never emitted. Only the commit failure is injected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableReaderFailureIT {

    private PostgresServer pg;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        pg.execute("CREATE TABLE public.t (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)",
                "INSERT INTO public.t SELECT i, timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second' "
                        + "FROM generate_series(1, 60) i");
    }

    @AfterAll
    void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    private static List<Long> ids(List<SourceRecord> records) {
        return records.stream().map(r -> ((Struct) r.value()).getInt64("id")).toList();
    }

    /** The real connection, whose next commit() fails as if the server had gone away. */
    private static Connection failingCommit(Connection real) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        throw new SQLException("injected: terminating connection due to administrator command",
                                "57P01");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void theConnectorsConnectionsCannotWrite() throws Exception {
        PostgresSourceConfig config = new PostgresSourceConfig(Map.of(
                "connection.url", pg.jdbcUrl(), "connection.user", pg.user(), "connection.password", pg.password(),
                "table.include.list", "public\\.t"));
        // The test role is a superuser: only the read-only transaction stands between the connector and a write.
        try (Connection conn = new ConnectionFactory(config).open(); var st = conn.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute("DELETE FROM public.t"));
            assertEquals("25006", e.getSQLState(), "read_only_sql_transaction: " + e.getMessage());
            conn.rollback();
        }
        assertEquals(60, pg.queryLong("SELECT count(*) FROM public.t"));
    }

    /**
     * A role that can see only its own sessions in pg_stat_activity cannot wait for other roles' open
     * transactions: the reader says so once, naming the table, the column and the grant that fixes it.
     */
    @Test
    void aReaderThatCannotSeeOtherSessionsWarnsOnceNamingTheGrant() throws Exception {
        pg.execute("CREATE ROLE unprivileged LOGIN PASSWORD 'pw'", "GRANT SELECT ON public.t TO unprivileged");
        PostgresSourceConfig config = new PostgresSourceConfig(Map.of(
                "connection.url", pg.jdbcUrl(), "connection.user", "unprivileged", "connection.password", "pw",
                "table.include.list", "public\\.t", "mode", "timestamp", "timestamp.column.name", "updated_at",
                "batch.max.rows", "25", "timestamp.delay.interval.ms", "0"));
        TableId table = new TableId("public", "t");
        TableReader reader = new TableReader(table, config.settingsFor(table), ReadOptions.of(config), null,
                config.typeOptions());
        List<String> warnings;
        try (Connection conn = new ConnectionFactory(config).open();
                CapturedLog captured = CapturedLog.of(TableReader.class)) {
            int read = 0;
            for (int i = 0; i < 4; i++) {
                read += reader.poll(conn, 0).size();
            }
            assertEquals(60, read, "the reads themselves work");
            warnings = captured.lines();
        }
        assertEquals(1, warnings.size(), warnings.toString());
        String warning = warnings.get(0);
        for (String part : List.of("reads of public.t ", "\"updated_at\"",
                "GRANT pg_read_all_stats TO \"unprivileged\"",
                "timestamp.delay.interval.ms")) {
            assertTrue(warning.contains(part), part + " in: " + warning);
        }
    }

    @Test
    void aPageWhoseCommitFailsIsReadAgainWhole() throws Exception {
        for (String mode : List.of("timestamp", "incrementing")) {
            PostgresSourceConfig config = new PostgresSourceConfig(Map.of(
                    "connection.url", pg.jdbcUrl(), "connection.user", pg.user(), "connection.password", pg.password(),
                    "table.include.list", "public\\.t", "mode", mode, "timestamp.column.name", "updated_at",
                    "incrementing.column.name", "id", "batch.max.rows", "25", "timestamp.delay.interval.ms", "0"));
            TableId table = new TableId("public", "t");
            TableReader reader = new TableReader(table, config.settingsFor(table), ReadOptions.of(config), null,
                    config.typeOptions());
            try (Connection conn = new ConnectionFactory(config).open()) {
                assertEquals(25, reader.poll(conn, 0).size(), mode);
                assertThrows(SQLException.class, () -> reader.poll(failingCommit(conn), 0), mode);
                conn.rollback();
                List<Long> next = ids(reader.poll(conn, 0));
                assertEquals(26L, next.get(0), mode + ": the failed page is read again from its first row");
                assertEquals(25, next.size(), mode);
            }
        }
    }
}
