package dev.outflow.source.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.outflow.source.catalog.TableId;

class IncrementingQueryTest {

    @Test
    void pagesByKeyWithEveryIdentifierQuoted() {
        IncrementingQuery q = new IncrementingQuery(new TableId("Sales", "order \"items\""),
                List.of("id", "Amount"), "id");
        assertEquals("SELECT \"id\", \"Amount\" FROM \"Sales\".\"order \"\"items\"\"\" WHERE \"id\" IS NOT NULL "
                + "ORDER BY \"id\" LIMIT ?", q.firstPage());
        assertEquals("SELECT \"id\", \"Amount\" FROM \"Sales\".\"order \"\"items\"\"\" WHERE \"id\" > ? "
                + "ORDER BY \"id\" LIMIT ?", q.nextPage());
    }
}
