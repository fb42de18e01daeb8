package dev.outflow.source.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.outflow.source.catalog.TableId;

class KeysetQueryTest {

    private static final TableId TABLE = new TableId("Sales", "order \"items\"");

    @Test
    void incrementingPagesByOneKeyWithEveryIdentifierQuoted() {
        KeysetQuery q = new KeysetQuery(TABLE, List.of("id", "Amount"),
                List.of(new KeyColumn("id", "int8", KeyColumn.Role.INCREMENTING)), null);
        assertEquals("SELECT \"id\", \"Amount\" FROM \"Sales\".\"order \"\"items\"\"\" WHERE \"id\" IS NOT NULL "
                + "ORDER BY \"id\" LIMIT ?", q.firstPage());
        assertEquals("SELECT \"id\", \"Amount\" FROM \"Sales\".\"order \"\"items\"\"\" WHERE \"id\" > "
                + "CAST(? AS \"int8\") ORDER BY \"id\" LIMIT ?", q.nextPage());
        assertEquals(1, q.keyIndex(0));
    }

    @Test
    void timestampPagesByARowValueBelowTheHorizon() {
        KeyColumn ts = new KeyColumn("Updated At", "timestamptz", KeyColumn.Role.TIMESTAMP);
        KeysetQuery q = new KeysetQuery(TABLE, List.of("id", "Updated At"),
                List.of(ts, new KeyColumn("id", "int8", KeyColumn.Role.TIEBREAKER)), ts);
        String select = "SELECT \"id\", \"Updated At\" FROM \"Sales\".\"order \"\"items\"\"\" WHERE ";
        assertEquals(select + "\"Updated At\" IS NOT NULL AND \"id\" IS NOT NULL AND \"Updated At\" < "
                + "CAST(? AS \"timestamptz\") ORDER BY \"Updated At\", \"id\" LIMIT ?", q.firstPage());
        assertEquals(select + "(\"Updated At\", \"id\") > (CAST(? AS \"timestamptz\"), CAST(? AS \"int8\")) AND "
                + "\"Updated At\" < CAST(? AS \"timestamptz\") ORDER BY \"Updated At\", \"id\" LIMIT ?",
                q.nextPage());
        assertEquals(2, q.keyIndex(0));
        assertEquals(1, q.keyIndex(1));
    }

    @Test
    void bulkWithoutPrimaryKeyPagesByRowAddressSelectedAfterTheColumns() {
        KeysetQuery q = new KeysetQuery(TABLE, List.of("a"), List.of(new KeyColumn("ctid", "tid",
                KeyColumn.Role.ROW_ADDRESS)), null);
        assertEquals("SELECT \"a\", ctid FROM \"Sales\".\"order \"\"items\"\"\" WHERE ctid > CAST(? AS \"tid\") "
                + "ORDER BY ctid LIMIT ?", q.nextPage());
        assertEquals(2, q.keyIndex(0));
        assertEquals(1, q.columnCount());
    }
}
