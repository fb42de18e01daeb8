package dev.outflow.source.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves type oids into {@link PgType}s: follows domains to their base type, arrays to their element, ranges
 * to their subtype and composites to their attributes. One instance serves one {@link Catalog#describe} call and
 * caches what it read, so a table with many columns of one type asks once.
 */
final class TypeCatalog {

    // typelem with typlen -1 and a '_' name is a true array; int2vector/oidvector also have a typelem but print as
    // space-separated lists, and fixed-length types such as point or name have one but are scalars.
    private static final String TYPE = """
            SELECT n.nspname, t.typname, t.typtype, t.typelem, t.typlen, t.typbasetype, t.typtypmod, t.typrelid,
                   t.typdelim, r.rngsubtype
              FROM pg_catalog.pg_type t
              JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
              LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
             WHERE t.oid = ?""";

    private static final String ATTRIBUTES = """
            SELECT a.attname, a.atttypid, a.atttypmod
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum""";

    // money's scale is lc_monetary's number of fraction digits; the cast to numeric shows it.
    private static final String MONEY_SCALE = "SELECT scale(0::money::numeric)";

    /** Composite types nest at most this deep (PostgreSQL forbids cycles; this only guards the recursion). */
    private static final int MAX_DEPTH = 32;

    private final Connection conn;
    private final Map<String, PgType> cache = new HashMap<>();
    private Integer moneyScale;

    TypeCatalog(Connection conn) {
        this.conn = conn;
    }

    /** The type with oid {@code oid} under modifier {@code typmod} (-1 for none). */
    PgType resolve(long oid, int typmod) throws SQLException {
        return resolve(oid, typmod, 0);
    }

    private PgType resolve(long oid, int typmod, int depth) throws SQLException {
        if (depth > MAX_DEPTH) {
            throw new SQLException("Type " + oid + " nests more than " + MAX_DEPTH + " levels deep");
        }
        String key = oid + "/" + typmod;
        PgType cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        PgType type = load(oid, typmod, depth);
        cache.put(key, type);
        return type;
    }

    private PgType load(long oid, int typmod, int depth) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(TYPE)) {
            st.setLong(1, oid);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("Type " + oid + " is not in pg_type (dropped while reading the catalog?)");
                }
                String schema = rs.getString(1);
                String name = rs.getString(2);
                String typtype = rs.getString(3);
                long elem = rs.getLong(4);
                int typlen = rs.getInt(5);
                long baseType = rs.getLong(6);
                int domainTypmod = rs.getInt(7);
                long relid = rs.getLong(8);
                String delim = rs.getString(9);
                long rangeSubtype = rs.getLong(10);
                char delimiter = delim == null || delim.isEmpty() ? ',' : delim.charAt(0);
                return switch (typtype) {
                    // A domain is read as its base type; its own modifier wins when it has one.
                    case "d" -> resolve(baseType, domainTypmod >= 0 ? domainTypmod : typmod, depth + 1);
                    case "e" -> new PgType(schema, name, PgType.Kind.ENUM, -1, null, List.of(), delimiter);
                    case "r" -> new PgType(schema, name, PgType.Kind.RANGE, -1, resolve(rangeSubtype, -1, depth + 1),
                            List.of(), delimiter);
                    case "m" -> new PgType(schema, name, PgType.Kind.MULTIRANGE, -1, null, List.of(), delimiter);
                    case "c" -> new PgType(schema, name, PgType.Kind.COMPOSITE, -1, null,
                            attributes(relid, depth), delimiter);
                    case "b" -> {
                        if (elem != 0 && typlen == -1 && name.startsWith("_")) {
                            // An array column's modifier is its element's (numeric(10,2)[] has numeric(10,2)'s).
                            yield new PgType(schema, name, PgType.Kind.ARRAY, -1, resolve(elem, typmod, depth + 1),
                                    List.of(), delimiter);
                        }
                        int mod = "money".equals(name) && "pg_catalog".equals(schema)
                                ? ColumnDefinition.numericTypmod(19, moneyScale()) : typmod;
                        yield new PgType(schema, name, PgType.Kind.BASE, mod, null, List.of(), delimiter);
                    }
                    default -> new PgType(schema, name, PgType.Kind.OTHER, typmod, null, List.of(), delimiter);
                };
            }
        }
    }

    private List<PgType.Attribute> attributes(long relid, int depth) throws SQLException {
        List<long[]> raw = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement(ATTRIBUTES)) {
            st.setLong(1, relid);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    raw.add(new long[] {rs.getLong(2), rs.getInt(3)});
                }
            }
        }
        List<PgType.Attribute> attributes = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            attributes.add(new PgType.Attribute(names.get(i), resolve(raw.get(i)[0], (int) raw.get(i)[1], depth + 1)));
        }
        return attributes;
    }

    private int moneyScale() throws SQLException {
        if (moneyScale == null) {
            try (PreparedStatement st = conn.prepareStatement(MONEY_SCALE); ResultSet rs = st.executeQuery()) {
                rs.next();
                moneyScale = rs.getInt(1);
            }
        }
        return moneyScale;
    }
}
