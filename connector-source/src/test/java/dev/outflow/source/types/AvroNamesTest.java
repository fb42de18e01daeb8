package dev.outflow.source.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AvroNamesTest {

    @Test
    void replacesInvalidCharactersAndLeadingDigits() {
        assertEquals("order_date", AvroNames.sanitize("order date"));
        assertEquals("_1st", AvroNames.sanitize("1st"));
        assertEquals("caf_", AvroNames.sanitize("café"));
        assertEquals("a__b", AvroNames.sanitize("a\"-b"));
        assertEquals("_", AvroNames.sanitize(""));
        assertEquals("Valid_Name9", AvroNames.sanitize("Valid_Name9"));
    }

    @Test
    void fullNamesSanitizeEachPart() {
        assertEquals("pg.public.Order_Items", AvroNames.fullName("pg.public.Order Items"));
        assertEquals("_2024.x", AvroNames.fullName("2024.x"));
    }
}
