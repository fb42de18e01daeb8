package dev.outflow.source.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class TableIdTest {

    @Test
    void encodingRoundTripsNamesWithSeparatorsAndUnicode() {
        List<TableId> tables = List.of(new TableId("public", "orders"), new TableId("we.ird,schema", "Tab le\"x"),
                new TableId("ünï", "日本"), new TableId("a%2Eb", "+plus"));
        assertEquals(tables, TableId.decodeAll(TableId.encodeAll(tables)));
        assertEquals(List.of(), TableId.decodeAll(""));
    }

    @Test
    void quotedDoublesEmbeddedQuotes() {
        assertEquals("\"my \"\"s\"\"\".\"T\"", new TableId("my \"s\"", "T").quoted());
    }

    @Test
    void filterMatchesTheWholeQualifiedName() {
        List<Pattern> include = List.of(Pattern.compile("public\\.orders.*"));
        List<Pattern> exclude = List.of(Pattern.compile("public\\.orders_archive"));
        assertTrue(TableFilter.accepts(new TableId("public", "orders"), include, exclude));
        assertTrue(TableFilter.accepts(new TableId("public", "orders_2026"), include, exclude));
        assertFalse(TableFilter.accepts(new TableId("public", "orders_archive"), include, exclude));
        assertFalse(TableFilter.accepts(new TableId("sales", "public.orders"), include, exclude));
        assertFalse(TableFilter.accepts(new TableId("xpublic", "orders"), include, exclude));
    }

    @Test
    void numericTypmodDecodesPrecisionAndScale() {
        ColumnDefinition c = new ColumnDefinition("amount", "numeric", ((12 << 16) | 2) + 4, false);
        assertEquals(12, c.numericPrecision());
        assertEquals(2, c.numericScale());
        ColumnDefinition unconstrained = new ColumnDefinition("n", "numeric", -1, false);
        assertEquals(-1, unconstrained.numericPrecision());
        assertEquals(-1, unconstrained.numericScale());
    }
}
