package dev.outflow.source.query;

import java.util.List;
import java.util.stream.Collectors;

import dev.outflow.source.catalog.TableId;

/**
 * The page query of every mode: rows whose key is after the last key read, in key order, at most one page.
 * Paging by key (not OFFSET) keeps every page equally cheap on an index; a row-value comparison
 * {@code (ts, id) > (?, ?)} is one index range condition in PostgreSQL. Key values are bound as their text form
 * and cast to the column's type, so any key type round-trips exactly (microseconds included).
 *
 * <p>With an upper bound (timestamp modes), only rows whose timestamp is strictly below it are read: see
 * {@link ReadHorizon}.
 *
 * <pre>
 * SELECT "c1", ... FROM "s"."t" WHERE ("updated_at", "id") &gt; (CAST(? AS "timestamptz"), CAST(? AS "int8"))
 *    AND "updated_at" &lt; CAST(? AS "timestamptz") ORDER BY "updated_at", "id" LIMIT ?
 * </pre>
 */
public final class KeysetQuery {

    private final String firstPage;
    private final String startPage;
    private final String nextPage;
    private final int columnCount;
    private final int[] keyIndexes;

    /**
     * @param columns the columns to select, in order
     * @param key     the paging key; a {@link KeyColumn.Role#ROW_ADDRESS} key is selected after the columns
     * @param bound   the column bounded from above, or null for no bound
     */
    public KeysetQuery(TableId table, List<String> columns, List<KeyColumn> key, KeyColumn bound) {
        this.columnCount = columns.size();
        this.keyIndexes = new int[key.size()];
        StringBuilder select = new StringBuilder("SELECT ")
                .append(columns.stream().map(Identifiers::quote).collect(Collectors.joining(", ")));
        int extra = columns.size();
        for (int k = 0; k < key.size(); k++) {
            KeyColumn c = key.get(k);
            int index = c.role() == KeyColumn.Role.ROW_ADDRESS ? -1 : columns.indexOf(c.name());
            if (index < 0) {
                select.append(", ").append(sql(c));
                index = extra++;
            }
            keyIndexes[k] = index + 1;
        }
        select.append(" FROM ").append(table.quoted()).append(" WHERE ");
        String keyList = key.stream().map(KeysetQuery::sql).collect(Collectors.joining(", "));
        String notNull = key.stream().map(c -> sql(c) + " IS NOT NULL").collect(Collectors.joining(" AND "));
        String after = key.size() == 1
                ? sql(key.get(0)) + " > " + param(key.get(0))
                : "(" + keyList + ") > (" + key.stream().map(KeysetQuery::param).collect(Collectors.joining(", "))
                        + ")";
        String upper = bound == null ? "" : " AND " + sql(bound) + " < " + param(bound);
        String order = " ORDER BY " + keyList + " LIMIT ?";
        this.firstPage = select + notNull + upper + order;
        this.startPage = bound == null ? null
                : select + notNull + " AND " + sql(bound) + " >= " + param(bound) + upper + order;
        this.nextPage = select + after + upper + order;
    }

    private static String sql(KeyColumn c) {
        return c.role() == KeyColumn.Role.ROW_ADDRESS ? "ctid" : Identifiers.quote(c.name());
    }

    private static String param(KeyColumn c) {
        return "CAST(? AS " + Identifiers.quote(c.typeName()) + ")";
    }

    /** SQL for the first page; parameters: [the upper bound,] the page size. */
    public String firstPage() {
        return firstPage;
    }

    /**
     * SQL for the first page of a table read from a start timestamp (initial.position) rather than from its first
     * row; parameters: the start, the upper bound, the page size. Null without a bounded (timestamp) column.
     */
    public String startPage() {
        return startPage;
    }

    /** SQL for a later page; parameters: each key value as text, [the upper bound,] the page size. */
    public String nextPage() {
        return nextPage;
    }

    /** The 1-based result column of each key column, in key order. */
    public int keyIndex(int keyPosition) {
        return keyIndexes[keyPosition];
    }

    /** How many leading result columns are the table's columns (the row itself). */
    public int columnCount() {
        return columnCount;
    }
}
