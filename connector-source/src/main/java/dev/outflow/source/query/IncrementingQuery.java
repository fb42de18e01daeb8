package dev.outflow.source.query;

import java.util.List;
import java.util.stream.Collectors;

import dev.outflow.source.catalog.TableId;

/**
 * The keyset page query of {@code incrementing} mode: rows whose incrementing column is above the last value read,
 * in that column's order, at most one page. Paging by key (not OFFSET) keeps every page equally cheap on an index.
 */
public final class IncrementingQuery {

    private final String firstPage;
    private final String nextPage;

    public IncrementingQuery(TableId table, List<String> columns, String incrementingColumn) {
        String select = "SELECT " + columns.stream().map(Identifiers::quote).collect(Collectors.joining(", "))
                + " FROM " + table.quoted();
        String order = " ORDER BY " + Identifiers.quote(incrementingColumn) + " LIMIT ?";
        this.firstPage = select + " WHERE " + Identifiers.quote(incrementingColumn) + " IS NOT NULL" + order;
        this.nextPage = select + " WHERE " + Identifiers.quote(incrementingColumn) + " > ?" + order;
    }

    /** SQL for the first page (nothing read yet); one parameter: the page size. */
    public String firstPage() {
        return firstPage;
    }

    /** SQL for a later page; parameters: the last value read, the page size. */
    public String nextPage() {
        return nextPage;
    }
}
