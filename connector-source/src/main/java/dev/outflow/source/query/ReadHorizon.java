package dev.outflow.source.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The newest timestamp that is safe to read up to (exclusive), all from the database's clock: the oldest of
 * <ul>
 *   <li>{@code clock_timestamp() - timestamp.delay.interval.ms}, and</li>
 *   <li>the start ({@code xact_start}) of the oldest transaction still open in this database, younger than
 *       {@code timestamp.open.transaction.wait.max.ms}.</li>
 * </ul>
 * A row whose timestamp a writer sets from {@code now()} (or a later clock reading) in its transaction carries a
 * timestamp at or after that transaction's start, so every row below the horizon is committed and visible to a
 * snapshot taken after the horizon was read. That is why the horizon must be read first, in its own statement,
 * and the page query (a new READ COMMITTED snapshot) after it.
 *
 * <p>For a {@code timestamp without time zone} column the horizon is converted to the wall clock of
 * {@code db.timezone}, the zone the writers' timestamps are in.
 */
public final class ReadHorizon {

    /** The horizon as text in the column's type, and the pid of an open transaction it ignored (too old). */
    public record Horizon(String bound, Integer ignoredPid, String ignoredSince) {
    }

    private final String sql;

    public ReadHorizon(KeyColumn timestamp) {
        String bound = "least(now_.t - make_interval(secs => ?), "
                + "(SELECT min(o.xact_start) FROM open_ o WHERE o.xact_start >= now_.t - make_interval(secs => ?)))";
        String asText = timestamp.isLocalTimestamp() ? "(" + bound + " AT TIME ZONE ?)::text" : bound + "::text";
        this.sql = """
                WITH now_ AS (SELECT clock_timestamp() AS t),
                     open_ AS (SELECT a.pid, a.xact_start FROM pg_catalog.pg_stat_activity a
                                WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
                                  AND a.backend_type = 'client backend' AND a.xact_start IS NOT NULL
                                  AND ?)
                SELECT %s,
                       (SELECT o.pid FROM open_ o WHERE o.xact_start < now_.t - make_interval(secs => ?)
                         ORDER BY o.xact_start LIMIT 1),
                       (SELECT min(o.xact_start)::text FROM open_ o
                         WHERE o.xact_start < now_.t - make_interval(secs => ?))
                  FROM now_""".formatted(asText);
    }

    // Superusers and members of pg_read_all_stats see xact_start of every session; other roles see only their own
    // role's sessions, so open transactions of other writers would not hold the horizon back.
    private static final String SEES_OTHER_SESSIONS = """
            SELECT r.rolsuper OR pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')
              FROM pg_catalog.pg_roles r WHERE r.rolname = current_user""";

    /**
     * Whether the connected user sees the transactions of other roles' sessions in {@code pg_stat_activity}, which
     * the horizon needs to wait for them.
     */
    public static boolean seesOtherSessions(Connection conn) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(SEES_OTHER_SESSIONS); ResultSet rs = st.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * Reads the horizon. Call it first in a transaction, before the page query.
     *
     * @param delayMs   timestamp.delay.interval.ms
     * @param waitMaxMs timestamp.open.transaction.wait.max.ms; 0 ignores open transactions
     * @param zone      db.timezone (used for timestamp without time zone)
     */
    public Horizon read(Connection conn, long delayMs, long waitMaxMs, String zone, boolean localTimestamp)
            throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(sql)) {
            int p = 1;
            st.setBoolean(p++, waitMaxMs > 0);
            st.setDouble(p++, delayMs / 1000.0);
            st.setDouble(p++, waitMaxMs / 1000.0);
            if (localTimestamp) {
                st.setString(p++, zone);
            }
            st.setDouble(p++, waitMaxMs / 1000.0);
            st.setDouble(p, waitMaxMs / 1000.0);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                String bound = rs.getString(1);
                int pid = rs.getInt(2);
                Integer ignoredPid = rs.wasNull() ? null : pid;
                return new Horizon(bound, ignoredPid, rs.getString(3));
            }
        }
    }
}
