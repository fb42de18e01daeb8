package dev.outflow.source.types;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns PostgreSQL date/time values into what travels (see docs/types.md): from {@code java.time} values (what
 * pgjdbc returns for a column) and from PostgreSQL's text forms (what array, range and composite literals hold;
 * pgjdbc always sets {@code DateStyle=ISO}). {@code infinity} and {@code -infinity} become the sentinels in
 * {@link OutflowSchemas}, never an error.
 */
public final class TemporalText {

    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_DAY = 86_400_000_000L;
    static final long MILLIS_PER_DAY = 86_400_000L;

    /** ISO-8601 offset time with microseconds at most, e.g. {@code 10:15:30.123456+02:00}, how timetz travels. */
    static final DateTimeFormatter OFFSET_TIME = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true)
            .appendOffset("+HH:MM:ss", "+00:00")
            .toFormatter();

    private TemporalText() {
    }

    // ---- from java.time values (column readers) ----

    /** Days since 1970-01-01 for a date; pgjdbc reads {@code ±infinity} as {@link LocalDate#MAX}/{@code MIN}. */
    static int epochDay(LocalDate d) {
        if (d.equals(LocalDate.MAX)) {
            return OutflowSchemas.DATE_INFINITY;
        }
        if (d.equals(LocalDate.MIN)) {
            return OutflowSchemas.DATE_MINUS_INFINITY;
        }
        return Math.toIntExact(d.toEpochDay());
    }

    static long localMicros(LocalDateTime t) {
        if (t.equals(LocalDateTime.MAX)) {
            return OutflowSchemas.TIMESTAMP_INFINITY;
        }
        if (t.equals(LocalDateTime.MIN)) {
            return OutflowSchemas.TIMESTAMP_MINUS_INFINITY;
        }
        return micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano());
    }

    static long instantMicros(OffsetDateTime t) {
        if (t.equals(OffsetDateTime.MAX)) {
            return OutflowSchemas.TIMESTAMP_INFINITY;
        }
        if (t.equals(OffsetDateTime.MIN)) {
            return OutflowSchemas.TIMESTAMP_MINUS_INFINITY;
        }
        return micros(t.toEpochSecond(), t.getNano());
    }

    /** Microseconds since midnight; PostgreSQL's {@code 24:00:00} arrives from pgjdbc as {@link LocalTime#MAX}. */
    static long timeMicros(LocalTime t) {
        return t.equals(LocalTime.MAX) ? MICROS_PER_DAY : t.toNanoOfDay() / 1_000L;
    }

    static String offsetTime(OffsetTime t) {
        if (t.toLocalTime().equals(LocalTime.MAX)) {
            return "24:00:00" + t.getOffset().getId().replace("Z", "+00:00");
        }
        return OFFSET_TIME.format(t);
    }

    /** A {@link java.util.Date} at midnight UTC of the epoch day, how Connect's Date logical type holds it. */
    static java.util.Date connectDate(int epochDay) {
        return new java.util.Date(epochDay * MILLIS_PER_DAY);
    }

    // ---- from PostgreSQL text ----

    static int parseDate(String s) {
        if ("infinity".equals(s)) {
            return OutflowSchemas.DATE_INFINITY;
        }
        if ("-infinity".equals(s)) {
            return OutflowSchemas.DATE_MINUS_INFINITY;
        }
        boolean bc = s.endsWith(" BC");
        return Math.toIntExact(date(bc ? s.substring(0, s.length() - 3) : s, bc).toEpochDay());
    }

    static long parseTimestamp(String s) {
        Long infinite = infiniteTimestamp(s);
        if (infinite != null) {
            return infinite;
        }
        DateAndTime dt = splitTimestamp(s, "timestamp");
        return dt.dayMicros() + timeOfDayMicros(dt.time(), "timestamp", s);
    }

    /** The sentinel for PostgreSQL's {@code infinity}/{@code -infinity} timestamps, or null for a finite one. */
    private static Long infiniteTimestamp(String s) {
        if ("infinity".equals(s)) {
            return OutflowSchemas.TIMESTAMP_INFINITY;
        }
        if ("-infinity".equals(s)) {
            return OutflowSchemas.TIMESTAMP_MINUS_INFINITY;
        }
        return null;
    }

    /** A finite timestamp's text ({@code date time[ BC]}) as its day in epoch microseconds and its time text. */
    private static DateAndTime splitTimestamp(String s, String type) {
        boolean bc = s.endsWith(" BC");
        String body = bc ? s.substring(0, s.length() - 3) : s;
        int space = body.indexOf(' ');
        if (space < 0) {
            throw bad(type, s);
        }
        LocalDate date = date(body.substring(0, space), bc);
        return new DateAndTime(micros(date.toEpochDay() * 86_400L, 0), body.substring(space + 1));
    }

    private record DateAndTime(long dayMicros, String time) {
    }

    static long parseTimestamptz(String s) {
        Long infinite = infiniteTimestamp(s);
        if (infinite != null) {
            return infinite;
        }
        DateAndTime dt = splitTimestamp(s, "timestamptz");
        String time = dt.time();
        int sign = offsetStart(time);
        if (sign < 0) {
            throw bad("timestamptz", s);
        }
        long local = dt.dayMicros() + timeOfDayMicros(time.substring(0, sign), "timestamptz", s);
        return local - offsetSeconds(time.substring(sign), s) * MICROS_PER_SECOND;
    }

    static long parseTime(String s) {
        return timeOfDayMicros(s, "time", s);
    }

    /** A timetz in PostgreSQL's form ({@code 10:15:30.5+02}) to ISO-8601 ({@code 10:15:30.5+02:00}). */
    static String parseTimetz(String s) {
        int sign = offsetStart(s);
        if (sign < 0) {
            throw bad("timetz", s);
        }
        long micros = timeOfDayMicros(s.substring(0, sign), "timetz", s);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(Math.toIntExact(offsetSeconds(s.substring(sign), s)));
        if (micros == MICROS_PER_DAY) {
            return offsetTime(OffsetTime.of(LocalTime.MAX, offset));
        }
        return offsetTime(OffsetTime.of(LocalTime.ofNanoOfDay(micros * 1_000L), offset));
    }

    /**
     * An interval in the {@code postgres} output style ({@code 1 year 2 mons -3 days +04:05:06.5}, the default)
     * or {@code iso_8601} ({@code P1Y2M-3DT4H5M6.5S}), as PostgreSQL holds it: months, days, microseconds.
     */
    static Struct parseInterval(String s, org.apache.kafka.connect.data.Schema schema) {
        long[] parts = s.startsWith("P") ? isoInterval(s) : postgresInterval(s);
        return new Struct(schema)
                .put(OutflowSchemas.INTERVAL_MONTHS, Math.toIntExact(parts[0]))
                .put(OutflowSchemas.INTERVAL_DAYS, Math.toIntExact(parts[1]))
                .put(OutflowSchemas.INTERVAL_MICROS, parts[2]);
    }

    private static long[] postgresInterval(String s) {
        long months = 0;
        long days = 0;
        long micros = 0;
        String[] tokens = s.trim().split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.indexOf(':') >= 0) {
                boolean negative = token.startsWith("-");
                String t = token.startsWith("-") || token.startsWith("+") ? token.substring(1) : token;
                long value = timeOfDayMicros(t, "interval", s);
                micros += negative ? -value : value;
                continue;
            }
            if (i + 1 >= tokens.length) {
                throw intervalStyle(s);
            }
            long n;
            try {
                n = Long.parseLong(token.startsWith("+") ? token.substring(1) : token);
            } catch (NumberFormatException e) {
                throw intervalStyle(s);
            }
            String unit = tokens[++i];
            switch (unit) {
                case "year", "years" -> months += n * 12;
                case "mon", "mons" -> months += n;
                case "day", "days" -> days += n;
                default -> throw intervalStyle(s);
            }
        }
        return new long[] {months, days, micros};
    }

    private static long[] isoInterval(String s) {
        long months = 0;
        long days = 0;
        long micros = 0;
        boolean inTime = false;
        int i = 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == 'T') {
                inTime = true;
                i++;
                continue;
            }
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || "+-.".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            if (i >= s.length() || start == i) {
                throw intervalStyle(s);
            }
            String number = s.substring(start, i);
            char unit = s.charAt(i++);
            if (inTime && unit == 'S') {
                micros += secondsToMicros(number, s);
                continue;
            }
            long n;
            try {
                n = Long.parseLong(number);
            } catch (NumberFormatException e) {
                throw intervalStyle(s);
            }
            if (!inTime && unit == 'Y') {
                months += n * 12;
            } else if (!inTime && unit == 'M') {
                months += n;
            } else if (!inTime && unit == 'D') {
                days += n;
            } else if (inTime && unit == 'H') {
                micros += n * 3_600L * MICROS_PER_SECOND;
            } else if (inTime && unit == 'M') {
                micros += n * 60L * MICROS_PER_SECOND;
            } else {
                throw intervalStyle(s);
            }
        }
        return new long[] {months, days, micros};
    }

    private static long secondsToMicros(String number, String whole) {
        boolean negative = number.startsWith("-");
        String digits = negative || number.startsWith("+") ? number.substring(1) : number;
        int dot = digits.indexOf('.');
        try {
            long seconds = Long.parseLong(dot < 0 ? digits : digits.substring(0, dot));
            long value = seconds * MICROS_PER_SECOND + (dot < 0 ? 0 : fractionMicros(digits.substring(dot + 1)));
            return negative ? -value : value;
        } catch (NumberFormatException e) {
            throw intervalStyle(whole);
        }
    }

    /** {@code H+:MM:SS[.ffffff]} to microseconds; hours may exceed 24 (intervals, and time's {@code 24:00:00}). */
    private static long timeOfDayMicros(String t, String type, String whole) {
        String[] hms = t.split(":");
        if (hms.length != 3) {
            throw bad(type, whole);
        }
        try {
            long hours = Long.parseLong(hms[0]);
            long minutes = Long.parseLong(hms[1]);
            String sec = hms[2];
            int dot = sec.indexOf('.');
            long seconds = Long.parseLong(dot < 0 ? sec : sec.substring(0, dot));
            long fraction = dot < 0 ? 0 : fractionMicros(sec.substring(dot + 1));
            return ((hours * 60 + minutes) * 60 + seconds) * MICROS_PER_SECOND + fraction;
        } catch (NumberFormatException e) {
            throw bad(type, whole);
        }
    }

    private static long fractionMicros(String digits) {
        if (digits.isEmpty() || digits.length() > 6) {
            throw new NumberFormatException(digits);
        }
        return Long.parseLong(digits) * pow10(6 - digits.length());
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    /** Where the {@code ±HH[:MM[:SS]]} offset after a time of day starts, or -1. */
    private static int offsetStart(String time) {
        for (int i = 1; i < time.length(); i++) {
            char c = time.charAt(i);
            if (c == '+' || c == '-') {
                return i;
            }
        }
        return -1;
    }

    private static long offsetSeconds(String offset, String whole) {
        int sign = offset.charAt(0) == '-' ? -1 : 1;
        String[] parts = offset.substring(1).split(":");
        try {
            long seconds = Long.parseLong(parts[0]) * 3600;
            if (parts.length > 1) {
                seconds += Long.parseLong(parts[1]) * 60;
            }
            if (parts.length > 2) {
                seconds += Long.parseLong(parts[2]);
            }
            return sign * seconds;
        } catch (NumberFormatException e) {
            throw bad("time zone offset", whole);
        }
    }

    /** {@code Y+-MM-DD}; years may have more than four digits; a BC year y is proleptic year 1 - y. */
    private static LocalDate date(String s, boolean bc) {
        int second = s.lastIndexOf('-');
        int first = s.lastIndexOf('-', second - 1);
        if (first <= 0 || second <= first) {
            throw bad("date", s);
        }
        try {
            int year = Integer.parseInt(s.substring(0, first));
            int month = Integer.parseInt(s.substring(first + 1, second));
            int day = Integer.parseInt(s.substring(second + 1));
            return LocalDate.of(bc ? 1 - year : year, month, day);
        } catch (RuntimeException e) {
            throw bad("date", s);
        }
    }

    /** Microseconds since the epoch; a finite value beyond what an INT64 of microseconds holds is an error. */
    static long micros(long epochSecond, int nano) {
        try {
            long micros = Math.addExact(Math.multiplyExact(epochSecond, MICROS_PER_SECOND), nano / 1_000L);
            if (micros == OutflowSchemas.TIMESTAMP_INFINITY || micros <= OutflowSchemas.TIMESTAMP_MINUS_INFINITY) {
                throw new ArithmeticException("sentinel");
            }
            return micros;
        } catch (ArithmeticException e) {
            throw new DataException("A timestamp is outside the range of microseconds since 1970 an INT64 holds "
                    + "(about 292,000 years either way); such values cannot travel");
        }
    }

    private static DataException bad(String type, String value) {
        // The value is row data: name the type and the length, not the value.
        return new DataException("Could not read a PostgreSQL " + type + " value of " + value.length()
                + " characters: it is not in the ISO text form pgjdbc requests (DateStyle=ISO)");
    }

    private static DataException intervalStyle(String value) {
        return new DataException("Could not read a PostgreSQL interval value of " + value.length() + " characters: "
                + "outflow reads the postgres and iso_8601 IntervalStyles. Set IntervalStyle=postgres for the "
                + "connector's user (ALTER ROLE ... SET IntervalStyle = 'postgres') or in connection.url "
                + "(options=-c%20IntervalStyle%3Dpostgres)");
    }
}
