package dev.outflow.source.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads what the connector needs from {@code pg_catalog}: which tables exist, and each table's columns and
 * primary key. The catalog is cheap to query and, unlike {@code information_schema}, tells partitions,
 * domains and type modifiers apart.
 */
public final class Catalog {

    // Ordinary ('r') and partitioned ('p') tables; partitions themselves are skipped so a partitioned table is
    // read once, through its parent. System schemas are never candidates.
    private static final String LIST_TABLES = """
            SELECT n.nspname, c.relname
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p')
               AND NOT c.relispartition
               AND n.nspname <> 'information_schema'
               AND n.nspname NOT LIKE 'pg\\_%'
             ORDER BY n.nspname, c.relname""";

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

    /** Tables whose {@code schema.table} fully matches an include pattern and no exclude pattern, sorted. */
    public static List<TableId> findTables(Connection conn, List<Pattern> include, List<Pattern> exclude)
            throws SQLException {
        List<TableId> found = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement(LIST_TABLES); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (TableFilter.accepts(id, include, exclude)) {
                    found.add(id);
                }
            }
        }
        return found;
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
        return Optional.of(new TableDefinition(id, columns, primaryKey));
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
