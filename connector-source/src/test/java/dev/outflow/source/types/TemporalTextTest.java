package dev.outflow.source.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** PostgreSQL's ISO text forms of dates and times, and the infinity sentinels. */
class TemporalTextTest {

    @Test
    void datesIncludingBcLongYearsAndInfinity() {
        assertEquals(19_782, TemporalText.parseDate("2024-02-29"));
        assertEquals(LocalDate.of(-43, 3, 15).toEpochDay(), TemporalText.parseDate("0044-03-15 BC"));
        assertEquals(LocalDate.of(10_000, 1, 1).toEpochDay(), TemporalText.parseDate("10000-01-01"));
        assertEquals(Integer.MAX_VALUE, TemporalText.parseDate("infinity"));
        assertEquals(-Integer.MAX_VALUE, TemporalText.parseDate("-infinity"));
        assertEquals(Integer.MAX_VALUE, TemporalText.epochDay(LocalDate.MAX));
        assertEquals(-Integer.MAX_VALUE, TemporalText.epochDay(LocalDate.MIN));
    }

    @Test
    void timestampsKeepMicrosecondsAndOffsets() {
        assertEquals(1_709_210_096_789_012L, TemporalText.parseTimestamp("2024-02-29 12:34:56.789012"));
        assertEquals(1_709_210_096_789_012L - 7_200_000_000L,
                TemporalText.parseTimestamptz("2024-02-29 12:34:56.789012+02"));
        assertEquals(1_709_210_096_000_000L - 19_800_000_000L,
                TemporalText.parseTimestamptz("2024-02-29 12:34:56+05:30"));
        // Local mean time before time zones: offsets with seconds.
        long lmt = OffsetDateTime.of(1850, 6, 1, 0, 19, 32, 0, ZoneOffset.ofHoursMinutesSeconds(0, 19, 32))
                .toEpochSecond() * 1_000_000L;
        assertEquals(lmt, TemporalText.parseTimestamptz("1850-06-01 00:19:32+00:19:32"));
        assertEquals(LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L,
                TemporalText.parseTimestamp("0001-01-01 00:00:00 BC"));
        assertEquals(Long.MAX_VALUE, TemporalText.parseTimestamp("infinity"));
        assertEquals(-Long.MAX_VALUE, TemporalText.parseTimestamptz("-infinity"));
        assertEquals(Long.MAX_VALUE, TemporalText.localMicros(LocalDateTime.MAX));
        assertEquals(-Long.MAX_VALUE, TemporalText.instantMicros(OffsetDateTime.MIN));
    }

    @Test
    void timesIncludingTwentyFourHundred() {
        assertEquals(86_399_999_999L, TemporalText.parseTime("23:59:59.999999"));
        assertEquals(86_400_000_000L, TemporalText.parseTime("24:00:00"));
        assertEquals(86_400_000_000L, TemporalText.timeMicros(LocalTime.MAX));
        assertEquals(500_000L, TemporalText.parseTime("00:00:00.5"));
    }

    @Test
    void timetzBecomesIsoOffsetTime() {
        assertEquals("10:15:30.123456+05:30", TemporalText.parseTimetz("10:15:30.123456+05:30"));
        assertEquals("00:00:00-12:00", TemporalText.parseTimetz("00:00:00-12"));
        assertEquals("12:00:00.5+14:00", TemporalText.parseTimetz("12:00:00.5+14"));
        assertEquals("24:00:00+01:00", TemporalText.parseTimetz("24:00:00+01"));
        assertEquals("10:00:00+00:00", TemporalText.offsetTime(OffsetTime.of(10, 0, 0, 0, ZoneOffset.UTC)));
    }

    @Test
    void intervalsInPostgresAndIsoStyles() {
        assertInterval(14, -3, 14_706_789_000L, "1 year 2 mons -3 days +04:05:06.789");
        assertInterval(14, -3, 14_706_789_000L, "P1Y2M-3DT4H5M6.789S");
        assertInterval(-14, 3, -14_706_000_001L, "-1 years -2 mons +3 days -04:05:06.000001");
        assertInterval(-14, 3, -14_706_000_001L, "P-1Y-2M3DT-4H-5M-6.000001S");
        assertInterval(0, 0, 0, "00:00:00");
        assertInterval(0, 0, 0, "PT0S");
        assertInterval(0, 0, 3_600_000_000_000_001L, "1000000:00:00.000001");
        assertInterval(0, 1, -500_000, "1 day -00:00:00.5");
        DataException e = assertThrows(DataException.class,
                () -> TemporalText.parseInterval("@ 1 year ago", OutflowSchemas.interval().build()));
        assertTrue(e.getMessage().contains("IntervalStyle"), e.getMessage());
    }

    private static void assertInterval(int months, int days, long micros, String text) {
        Struct s = TemporalText.parseInterval(text, OutflowSchemas.interval().build());
        assertEquals(months, s.get("months"), text);
        assertEquals(days, s.get("days"), text);
        assertEquals(micros, s.get("microseconds"), text);
    }

    @Test
    void moneyAndByteaAndNumericText() {
        assertEquals(new BigDecimal("-92233720368547758.08"), ScalarText.money("-$92,233,720,368,547,758.08", 2));
        assertEquals(new BigDecimal("1234.50"), ScalarText.money("1.234,50 €", 2));
        assertEquals(new BigDecimal("-1.00"), ScalarText.money("($1.00)", 2));
        assertEquals("00ff5c22", java.util.HexFormat.of().formatHex(ScalarText.bytea("\\x00ff5c22")));
        assertEquals("00ff5c22", java.util.HexFormat.of().formatHex(ScalarText.bytea("\\000\\377\\\\\"")));
        assertEquals("0.0000001", ScalarText.plainNumeric("1E-7"));
        assertEquals("NaN", ScalarText.plainNumeric("NaN"));
        assertEquals(null, ScalarText.decimalOrNull("-Infinity"));
    }
}
