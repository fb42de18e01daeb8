package dev.outflow.source.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.outflow.source.config.TableType;

/**
 * Reads what the connector needs from {@code pg_catalog}: which tables exist, and each table's columns and
 * primary key. The catalog is cheap to query and, unlike {@code information_schema}, tells partitions,
 * domains and type modifiers apart.
 */
public final class Catalog {

    // Relations of the wanted kinds (relkind letters as one string, e.g. 'rp'); partitions themselves are
    // skipped so a partitioned table is read once, through its parent. System schemas are never candidates.
    // Two catalog index scans: cheap enough to run every table.poll.interval.ms.
    private static final String LIST_TABLES = """
            SELECT n.nspname, c.relname
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE strpos(?, c.relkind::text) > 0
               AND NOT c.relispartition
               AND n.nspname <> 'information_schema'
               AND n.nspname NOT LIKE 'pg\\_%'
             ORDER BY n.nspname, c.relname""";

    // Identity columns and columns whose default draws from a sequence (serial, bigserial): the keys auto mode
    // may read incrementally.
    private static final String SEQUENCE_COLUMNS = """
            SELECT a.attname
              FROM pg_catalog.pg_attribute a
              LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
               AND (a.attidentity IN ('a', 'd') OR pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%')
             ORDER BY a.attnum""";

    // Columns that alone carry a unique index or constraint (the primary key's included), without a predicate:
    // a tiebreaker must be one of them, or rows sharing a timestamp could be skipped.
    private static final String UNIQUE_COLUMNS = """
            SELECT DISTINCT a.attname
              FROM pg_catalog.pg_index i
              JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
             WHERE i.indrelid = ? AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL
               AND i.indexprs IS NULL""";

    // Changes whenever a column is added, dropped, renamed or retyped, the primary key changes, or the table is
    // dropped and created again (new oid): one indexed catalog read, so a reader can afford it on every poll.
    private static final String FINGERPRINT = """
            SELECT c.oid::text || ':' || coalesce((
                   SELECT md5(string_agg(a.attname || ' ' || a.atttypid || ' ' || a.atttypmod || ' '
                                         || a.attnotnull, ',' ORDER BY a.attnum))
                     FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
                   || ':' || coalesce((SELECT i.indkey::text FROM pg_catalog.pg_index i
                                        WHERE i.indrelid = c.oid AND i.indisprimary), '')
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ?""";

    private static final String TABLE_OID = """
            SELECT c.oid
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ?""";

    // Types are resolved by TypeCatalog (domains to their base type, arrays to their element, ...). A domain's
    // NOT NULL makes the column NOT NULL too.
    private static final String COLUMNS = """
            SELECT a.attname, a.atttypid, a.atttypmod,
                   a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS not_null
              FROM pg_catalog.pg_attribute a
              JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
             WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum""";

    private static final String PRIMARY_KEY = """
            SELECT a.attname
              FROM pg_catalog.pg_index i
              JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
             WHERE i.indrelid = ? AND i.indisprimary
             ORDER BY array_position(i.indkey::int2[], a.attnum)""";

    private Catalog() {
    }

    /** Ordinary and partitioned tables matching the patterns: see the overload. */
    public static List<TableId> findTables(Connection conn, List<Pattern> include, List<Pattern> exclude)
            throws SQLException {
        return findTables(conn, include, exclude, EnumSet.of(TableType.TABLE));
    }

    /**
     * Relations of the given types whose {@code schema.table} fully matches an include pattern and no exclude
     * pattern, sorted.
     */
    public static List<TableId> findTables(Connection conn, List<Pattern> include, List<Pattern> exclude,
            Set<TableType> types) throws SQLException {
        String relkinds = types.stream().map(TableType::relkinds).collect(Collectors.joining());
        List<TableId> found = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement(LIST_TABLES)) {
            st.setString(1, relkinds);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    TableId id = new TableId(rs.getString(1), rs.getString(2));
                    if (TableFilter.accepts(id, include, exclude)) {
                        found.add(id);
                    }
                }
            }
        }
        return found;
    }

    /** A string that changes whenever the table's definition does; empty when the table does not exist. */
    public static Optional<String> fingerprint(Connection conn, TableId id) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(FINGERPRINT)) {
            st.setString(1, id.schema());
            st.setString(2, id.table());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The table's definition, or empty if it no longer exists. */
    public static Optional<TableDefinition> describe(Connection conn, TableId id) throws SQLException {
        Optional<Long> oid = oid(conn, id);
        if (oid.isEmpty()) {
            return Optional.empty();
        }
        List<ColumnDefinition> columns = columns(conn, oid.get());
        List<String> primaryKey = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement(PRIMARY_KEY)) {
            st.setLong(1, oid.get());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    primaryKey.add(rs.getString(1));
                }
            }
        }
        List<String> sequenceColumns = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement(SEQUENCE_COLUMNS)) {
            st.setLong(1, oid.get());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    sequenceColumns.add(rs.getString(1));
                }
            }
        }
        List<String> uniqueColumns = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement(UNIQUE_COLUMNS)) {
            st.setLong(1, oid.get());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    uniqueColumns.add(rs.getString(1));
                }
            }
        }
        return Optional.of(new TableDefinition(id, columns, primaryKey, sequenceColumns, uniqueColumns));
    }

    private static List<ColumnDefinition> columns(Connection conn, long tableOid) throws SQLException {
        List<String> names = new ArrayList<>();
        List<long[]> types = new ArrayList<>();
        List<Boolean> notNull = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement(COLUMNS)) {
            st.setLong(1, tableOid);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    types.add(new long[] {rs.getLong(2), rs.getInt(3)});
                    notNull.add(rs.getBoolean(4));
                }
            }
        }
        TypeCatalog typeCatalog = new TypeCatalog(conn);
        List<ColumnDefinition> columns = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            PgType type = typeCatalog.resolve(types.get(i)[0], (int) types.get(i)[1]);
            columns.add(new ColumnDefinition(names.get(i), type, notNull.get(i)));
        }
        return columns;
    }

    private static Optional<Long> oid(Connection conn, TableId id) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(TABLE_OID)) {
            st.setString(1, id.schema());
            st.setString(2, id.table());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }
}
