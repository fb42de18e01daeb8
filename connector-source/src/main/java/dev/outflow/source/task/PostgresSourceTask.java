package dev.outflow.source.task;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.source.Version;
import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.PostgresSourceConfig;
import dev.outflow.source.connection.ConnectionFactory;
import dev.outflow.source.connection.SqlErrors;

/**
 * Polls the tables assigned to this task, one page of one table per {@code poll()}, round robin over the tables
 * that are due. A database outage never fails the task: the connection is dropped, the poll reports a
 * {@link RetriableException} (Connect logs it and polls again), and later polls reconnect, no more often than
 * every {@code connection.backoff.ms}, and resume from the last emitted row.
 */
public class PostgresSourceTask extends SourceTask {
    private static final Logger log = LoggerFactory.getLogger(PostgresSourceTask.class);

    private PostgresSourceConfig config;
    private ConnectionFactory connections;
    private final List<TableReader> readers = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    // Written by the polling thread, closed by stop() from another thread.
    private volatile Connection conn;
    private long nextConnectAtMs;
    private int failedConnects;
    private int nextReader;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new PostgresSourceConfig(props);
        connections = new ConnectionFactory(config);
        List<TableId> tables = TableId.decodeAll(config.taskTables());
        List<Map<String, String>> partitions = tables.stream().map(SourceOffsets::partition).toList();
        Map<Map<String, String>, Map<String, Object>> offsets = context.offsetStorageReader().offsets(partitions);
        ReadOptions options = ReadOptions.of(config);
        for (TableId table : tables) {
            readers.add(new TableReader(table, config.settingsFor(table), options,
                    offsets.get(SourceOffsets.partition(table)), config.typeOptions()));
        }
        if (tables.isEmpty()) {
            log.warn("Source task started without tables: no table matches table.include.list yet; the connector "
                    + "looks for new ones every table.poll.interval.ms");
        } else {
            log.info("Source task started for {} table(s): {}", tables.size(), tables);
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (readers.isEmpty()) {
            stopped.await(config.pollIntervalMs(), TimeUnit.MILLISECONDS);
            return null;
        }
        TableReader reader = nextDueReader();
        if (reader == null) {
            long wait = readers.stream().mapToLong(TableReader::nextPollAtMs).min().orElse(0)
                    - System.currentTimeMillis();
            stopped.await(Math.max(1, wait), TimeUnit.MILLISECONDS);
            return null;
        }
        Connection connection = connection();
        if (connection == null) {
            return null;
        }
        try {
            List<SourceRecord> records = reader.poll(connection, System.currentTimeMillis());
            return records.isEmpty() ? null : records;
        } catch (SQLException e) {
            closeConnection();
            if (SqlErrors.isDefinitionChanged(e)) {
                reader.invalidateDefinition();
                throw new RetriableException("The definition of " + reader.table() + " changed while reading it; "
                        + "reading its catalog again", e);
            }
            if (SqlErrors.isTransient(e) || stopped.getCount() == 0) {
                throw new RetriableException("Lost the database while reading " + reader.table()
                        + " (SQLSTATE " + e.getSQLState() + "); reconnecting", e);
            }
            throw new ConnectException("Reading " + reader.table() + " failed (SQLSTATE " + e.getSQLState() + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * True when no table is due to be read now: every table has been read up to its end (a short page) and waits
     * for its next {@code poll.interval.ms}. The outflow command uses it to end a one-shot pass; Connect never
     * calls it.
     */
    public boolean caughtUp() {
        long now = System.currentTimeMillis();
        return readers.stream().allMatch(r -> r.nextPollAtMs() > now);
    }

    /** The next table whose poll time has come, in round-robin order so no table starves another. */
    private TableReader nextDueReader() {
        long now = System.currentTimeMillis();
        for (int i = 0; i < readers.size(); i++) {
            TableReader candidate = readers.get((nextReader + i) % readers.size());
            if (candidate.nextPollAtMs() <= now) {
                nextReader = (nextReader + i + 1) % readers.size();
                return candidate;
            }
        }
        return null;
    }

    /**
     * The open connection, or a new one. While the database is unreachable, tries at most once per
     * {@code connection.backoff.ms}, waiting in between (and returning null) so stop() is never held up.
     */
    private Connection connection() throws InterruptedException {
        if (stopped.getCount() == 0) {
            return null;
        }
        if (conn != null) {
            return conn;
        }
        long wait = nextConnectAtMs - System.currentTimeMillis();
        if (wait > 0) {
            stopped.await(wait, TimeUnit.MILLISECONDS);
            return null;
        }
        try {
            conn = connections.openOnce();
            if (failedConnects > 0) {
                log.info("Reconnected to {} after {} failed attempt(s)", connections.redactedUrl(), failedConnects);
            }
            failedConnects = 0;
            return conn;
        } catch (SQLException e) {
            failedConnects++;
            nextConnectAtMs = System.currentTimeMillis() + config.connectionBackoffMs();
            throw new RetriableException("Cannot reach the database at " + connections.redactedUrl() + " ("
                    + e.getMessage() + "); retrying in " + config.connectionBackoffMs() + " ms", e);
        }
    }

    private synchronized void closeConnection() {
        Connection current = conn;
        conn = null;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                log.debug("Ignoring error while closing a broken connection", e);
            }
        }
    }

    @Override
    public void stop() {
        stopped.countDown();
        // Connect calls stop() from another thread while poll() may be running; closing the connection also
        // cancels a query in flight so the task stops promptly.
        closeConnection();
        log.info("Source task stopped");
    }
}
