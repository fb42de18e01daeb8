package dev.outflow.source.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.source.config.TableType;
import dev.outflow.source.connection.ConnectionFactory;

/**
 * Looks at the catalog every {@code table.poll.interval.ms} (one cheap query on {@code pg_class}) and tells the
 * connector when the set of matching tables changed, so tables created or dropped while running are picked up
 * without a restart. A database outage only delays the next look: it is logged once, never fatal.
 */
public final class TableMonitor {
    private static final Logger log = LoggerFactory.getLogger(TableMonitor.class);

    private final ConnectionFactory connections;
    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final Set<TableType> types;
    private final long intervalMs;
    private final Runnable onChange;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile List<TableId> tables;
    private Thread thread;
    private boolean outageLogged;

    public TableMonitor(ConnectionFactory connections, List<Pattern> include, List<Pattern> exclude,
            Set<TableType> types, long intervalMs, Runnable onChange) {
        this.connections = connections;
        this.include = include;
        this.exclude = exclude;
        this.types = types;
        this.intervalMs = intervalMs;
        this.onChange = onChange;
    }

    /** Lists the tables now (one attempt); throws when the database cannot be asked. */
    public List<TableId> lookNow() throws SQLException {
        try (Connection conn = connections.openOnce()) {
            List<TableId> found = Catalog.findTables(conn, include, exclude, types);
            conn.commit();
            return found;
        }
    }

    /** Starts watching from {@code initial} (what the connector's tasks were configured with). */
    public void start(List<TableId> initial, String connectorName) {
        tables = List.copyOf(initial);
        thread = new Thread(this::run, "outflow-table-monitor-" + connectorName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The tables found by the latest successful look. */
    public List<TableId> tables() {
        return tables;
    }

    private void run() {
        try {
            while (!stopped.await(intervalMs, TimeUnit.MILLISECONDS)) {
                List<TableId> found;
                try {
                    found = lookNow();
                } catch (SQLException e) {
                    if (!outageLogged) {
                        log.warn("Cannot list tables at {} ({}); trying again every {} ms",
                                connections.redactedUrl(), e.getMessage(), intervalMs);
                        outageLogged = true;
                    }
                    continue;
                }
                outageLogged = false;
                if (!found.equals(tables)) {
                    List<TableId> added = new ArrayList<>(found);
                    added.removeAll(tables);
                    List<TableId> removed = new ArrayList<>(tables);
                    removed.removeAll(found);
                    log.info("Tables changed: added {}, removed {}; reassigning {} table(s) to tasks", added,
                            removed, found.size());
                    tables = List.copyOf(found);
                    onChange.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Table monitor stopped; tables created from now on are not picked up until the connector "
                    + "restarts", e);
        }
    }

    public void stop() {
        stopped.countDown();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
