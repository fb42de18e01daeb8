package dev.outflow.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL 17 from zonky's embedded binaries (no install, no Docker; zonky copes with running as root).
 *
 * <p>Tests connect as {@link #user()} with {@link #password()} to database {@code outflow}. The password really is
 * checked: TCP logins other than zonky's own {@code postgres} superuser need scram-sha-256, so a connector that
 * drops or mangles its password fails here just as it would in production.
 *
 * <p>The data directory is ours (not zonky's), so {@link #restart()} can stop and start the same cluster on the
 * same port, as outage tests need; {@link #close()} deletes it.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

    private static final String DATABASE = "outflow";
    private static final String USER = "outflow";
    private static final String PASSWORD = "outflow-pw";

    // Used only by zonky's own readiness probe, which logs in as "postgres" without a password.
    private static final String PG_HBA = String.join("\n",
            "# Written by dev.outflow.testing.PostgresServer",
            "local all all trust",
            "host all postgres 127.0.0.1/32 trust",
            "host all all 127.0.0.1/32 scram-sha-256",
            "");

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres pg; // null while stopped
    private boolean closed;

    private PostgresServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Initialises a new cluster in a temp directory and starts it on a free 127.0.0.1 port. */
    public static PostgresServer start() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("outflow-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresServer server = new PostgresServer(dataDir, Ports.freePort());
        try {
            server.startAgain();
            server.createUserAndDatabase();
            log.info("PostgreSQL started on {} (data {})", server.jdbcUrl(), dataDir);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** A new connection as {@link #user()}, autocommit on; the caller closes it. */
    public Connection connect() {
        try {
            Connection connection = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not connect to " + jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    /** Runs each statement in order on one connection (autocommit, so each is its own transaction). */
    public void execute(String... sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String s : sql) {
                try {
                    statement.execute(s);
                } catch (SQLException e) {
                    throw new IllegalStateException("SQL failed: " + s + ": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the single row {@code sql} returns, as a long (fails on no row or NULL). */
    public long queryLong(String sql) {
        return Support.asLong(queryScalar(sql), sql);
    }

    /** The first column of the first row {@code sql} returns (may be null); fails if there is no row. */
    public Object queryScalar(String sql) {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("No row from " + sql);
            }
            return rs.getObject(1);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Kills every other client session (what a failover or a DBA does), keeping the server up. */
    public int terminateOtherConnections() {
        return (int) queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'");
    }

    /** Stops and starts the same cluster (same data, same port): clients see their connections drop. */
    public synchronized void restart() {
        stop();
        startAgain();
        log.info("PostgreSQL on port {} restarted", port);
    }

    /** Stops the server but keeps its data; {@link #startAgain()} brings it back on the same port. */
    public synchronized void stop() {
        if (pg == null) {
            return;
        }
        try {
            pg.close(); // pg_ctl stop -m fast -w
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pg = null;
        }
        log.info("PostgreSQL on port {} stopped", port);
    }

    /** Starts the server again after {@link #stop()} (no-op if running). */
    public synchronized void startAgain() {
        if (closed) {
            throw new IllegalStateException("PostgresServer is closed");
        }
        if (pg != null) {
            return;
        }
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    // Ours to delete in close(): zonky would delete it on every stop, losing data across restart().
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL in " + dataDir + " on port " + port, e);
        }
    }

    private void createUserAndDatabase() {
        try (Connection connection = pg.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            // Superuser so tests can also create publications, terminate sessions, change settings.
            statement.execute("CREATE ROLE " + USER + " LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            // initdb ran with "-A trust": require the password for our user from now on.
            Files.writeString(dataDir.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Could not set up user and database: " + e.getMessage(), e);
        }
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            Files2.deleteRecursively(dataDir);
        }
    }
}
