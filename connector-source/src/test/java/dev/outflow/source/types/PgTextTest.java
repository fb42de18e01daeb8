package dev.outflow.source.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class PgTextTest {

    @Test
    void arrayElementsHonourQuotesEscapesAndNull() {
        assertEquals(List.of(), PgText.arrayElements("{}", ','));
        assertEquals(Arrays.asList("1", null, "3"), PgText.arrayElements("{1,NULL,3}", ','));
        assertEquals(Arrays.asList("a,b", "\"q\"", "back\\slash", " sp ", "NULL", "", null, "{x}"),
                PgText.arrayElements("{\"a,b\",\"\\\"q\\\"\",\"back\\\\slash\",\" sp \",\"NULL\",\"\",NULL,\"{x}\"}",
                        ','));
        assertEquals(List.of("7", "8"), PgText.arrayElements("[0:1]={7,8}", ','));
        assertEquals(List.of("(0,0),(1,1)", "(2,2),(3,3)"), PgText.arrayElements("{(0,0),(1,1);(2,2),(3,3)}", ';'));
    }

    @Test
    void multiDimensionalArraysAreAClearError() {
        DataException e = assertThrows(DataException.class, () -> PgText.arrayElements("{{1,2},{3,4}}", ','));
        assertTrue(e.getMessage().contains("multi-dimensional"), e.getMessage());
        DataException bad = assertThrows(DataException.class, () -> PgText.arrayElements("{\"open", ','));
        assertTrue(bad.getMessage().contains("array"), bad.getMessage());
    }

    @Test
    void recordFieldsTellNullFromEmptyAndUndoDoubling() {
        assertEquals(Arrays.asList("1", "a b", null, ""), PgText.recordFields("(1,\"a b\",,\"\")"));
        assertEquals(List.of("say \"hi\"", "back\\slash"),
                PgText.recordFields("(\"say \"\"hi\"\"\",\"back\\\\slash\")"));
        assertEquals(List.of("(1,\"x\")", "{a,b}"), PgText.recordFields("(\"(1,\"\"x\"\")\",\"{a,b}\")"));
        assertEquals(Arrays.asList((String) null), PgText.recordFields("()"));
    }

    @Test
    void rangesKeepBoundsAndInclusivity() {
        assertEquals(new PgText.Range(true, null, null, false, false), PgText.range("empty"));
        assertEquals(new PgText.Range(false, "1", "10", true, false), PgText.range("[1,10)"));
        assertEquals(new PgText.Range(false, null, "5", false, true), PgText.range("(,5]"));
        assertEquals(new PgText.Range(false, "2020-01-01 00:00:00", "infinity", true, false),
                PgText.range("[\"2020-01-01 00:00:00\",infinity)"));
        assertThrows(DataException.class, () -> PgText.range("[1;2]"));
    }
}
