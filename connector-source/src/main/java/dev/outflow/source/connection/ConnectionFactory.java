package dev.outflow.source.connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.source.config.PostgresSourceConfig;

/**
 * Opens read-only, non-autocommit connections. Autocommit is off so pgjdbc honours the fetch size and streams
 * results instead of loading them whole; read-only so the connector can never write, even by mistake.
 */
public final class ConnectionFactory {
    private static final Logger log = LoggerFactory.getLogger(ConnectionFactory.class);

    private final String url;
    private final Properties properties;
    private final int attempts;
    private final long backoffMs;

    public ConnectionFactory(PostgresSourceConfig config) {
        this(config.connectionUrl(), config.user(), config.password(), config.connectionAttempts(),
                config.connectionBackoffMs());
    }

    public ConnectionFactory(String url, String user, String password, int attempts, long backoffMs) {
        this.url = url;
        this.attempts = attempts;
        this.backoffMs = backoffMs;
        this.properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "outflow");
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
    }

    /** Opens a connection, trying up to {@code connection.attempts} times; throws the last failure. */
    public Connection open() throws SQLException, InterruptedException {
        SQLException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return openOnce();
            } catch (SQLException e) {
                last = e;
                log.warn("Could not connect to {} (attempt {} of {}): {}", redactedUrl(), attempt, attempts,
                        e.getMessage());
                if (attempt < attempts) {
                    Thread.sleep(backoffMs);
                }
            }
        }
        throw last;
    }

    /** One attempt, no retry: what validation uses so a bad config is reported quickly. */
    public Connection openOnce() throws SQLException {
        // The driver is called directly, not through DriverManager, which may not see drivers loaded by Kafka
        // Connect's plugin class loader.
        Connection conn = new Driver().connect(url, properties);
        if (conn == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + redactedUrl());
        }
        conn.setAutoCommit(false);
        conn.setReadOnly(true);
        return conn;
    }

    /** The URL without its query string, which may carry a password. */
    public String redactedUrl() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
