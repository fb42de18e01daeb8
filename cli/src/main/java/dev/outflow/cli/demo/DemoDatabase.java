package dev.outflow.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A throwaway PostgreSQL for the demo: zonky's embedded binaries (nothing to install but Java), listening on a free
 * loopback port, with a small shop schema ({@link DemoSchema}). Closing it stops the server and deletes its data.
 */
public final class DemoDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoDatabase.class);

    private final EmbeddedPostgres pg;
    private final Path dataDir;

    private DemoDatabase(EmbeddedPostgres pg, Path dataDir) {
        this.pg = pg;
        this.dataDir = dataDir;
    }

    /** Starts a new server with the demo schema and its first rows. */
    public static DemoDatabase start() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("outflow-demo-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for the demo database", e);
        }
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the demo PostgreSQL in " + dataDir, e);
        }
        DemoDatabase db = new DemoDatabase(pg, dataDir);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String sql : DemoSchema.CREATE) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            db.close();
            throw new IllegalStateException("Could not create the demo schema: " + e.getMessage(), e);
        }
        log.info("Demo PostgreSQL started on 127.0.0.1:{} (data {})", db.port(), dataDir);
        return db;
    }

    public int port() {
        return pg.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    /** The superuser zonky creates; it logs in without a password on loopback. */
    public String user() {
        return "postgres";
    }

    public DataSource dataSource() {
        return pg.getPostgresDatabase();
    }

    public Connection connect() throws SQLException {
        Connection c = dataSource().getConnection();
        c.setAutoCommit(true);
        return c;
    }

    @Override
    public void close() {
        try {
            pg.close();
        } catch (IOException e) {
            log.warn("Could not stop the demo PostgreSQL cleanly: {}", e.getMessage());
        }
    }
}
