package dev.outflow.source.types;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.errors.DataException;

/**
 * Splits PostgreSQL's text forms of arrays, composites and ranges into their parts, each part still in its own
 * type's text form (or null for SQL NULL). The rules are those of PostgreSQL's {@code array_out},
 * {@code record_out} and {@code range_out}; the parts are then read by the element type's own rule.
 */
public final class PgText {

    private PgText() {
    }

    /** The parts of a range literal: empty, or two bounds (null for unbounded) with their inclusivity. */
    public record Range(boolean empty, String lower, String upper, boolean lowerInclusive, boolean upperInclusive) {
    }

    /**
     * The elements of a one-dimensional array literal such as {@code {1,NULL,"a b"}} (an optional
     * {@code [lo:hi]=} bounds prefix is skipped: elements keep their order, the lower bound is not kept).
     *
     * @throws DataException for a multi-dimensional array, which one Connect ARRAY cannot hold
     */
    public static List<String> arrayElements(String literal, char delimiter) {
        int i = 0;
        int n = literal.length();
        if (n > 0 && literal.charAt(0) == '[') {
            int eq = literal.indexOf('=');
            if (eq < 0) {
                throw malformed("array", literal);
            }
            i = eq + 1;
        }
        if (i >= n || literal.charAt(i) != '{' || literal.charAt(n - 1) != '}') {
            throw malformed("array", literal);
        }
        i++;
        List<String> elements = new ArrayList<>();
        int end = n - 1;
        if (i == end) {
            return elements;
        }
        StringBuilder sb = new StringBuilder();
        while (i <= end) {
            while (i < end && Character.isWhitespace(literal.charAt(i))) {
                i++;
            }
            char c = i < end ? literal.charAt(i) : delimiter;
            if (c == '{') {
                throw new DataException("A multi-dimensional array cannot travel as a one-dimensional ARRAY; "
                        + "store one-dimensional arrays in this column, or exclude the column");
            }
            if (c == '"') {
                sb.setLength(0);
                i++;
                while (i < end && literal.charAt(i) != '"') {
                    char q = literal.charAt(i);
                    if (q == '\\' && i + 1 < end) {
                        i++;
                        q = literal.charAt(i);
                    }
                    sb.append(q);
                    i++;
                }
                if (i >= end) {
                    throw malformed("array", literal);
                }
                i++; // closing quote
                elements.add(sb.toString());
                while (i < end && Character.isWhitespace(literal.charAt(i))) {
                    i++;
                }
            } else {
                int start = i;
                while (i < end && literal.charAt(i) != delimiter) {
                    i++;
                }
                String raw = literal.substring(start, i).strip();
                elements.add("NULL".equalsIgnoreCase(raw) ? null : unescape(raw));
            }
            if (i < end && literal.charAt(i) != delimiter) {
                throw malformed("array", literal);
            }
            i++; // delimiter, or past the end
        }
        return elements;
    }

    /** The fields of a composite literal such as {@code (1,"a b",)} (an empty field is NULL). */
    public static List<String> recordFields(String literal) {
        int n = literal.length();
        if (n < 2 || literal.charAt(0) != '(' || literal.charAt(n - 1) != ')') {
            throw malformed("composite", literal);
        }
        List<String> fields = new ArrayList<>();
        int[] pos = {1};
        while (true) {
            fields.add(field(literal, pos, n - 1, ",)"));
            if (pos[0] >= n - 1) {
                return fields;
            }
            pos[0]++; // the comma
        }
    }

    /** The parts of a range literal such as {@code [1,10)}, {@code (,"2020-01-01 00:00:00")} or {@code empty}. */
    public static Range range(String literal) {
        if ("empty".equals(literal)) {
            return new Range(true, null, null, false, false);
        }
        int n = literal.length();
        if (n < 3) {
            throw malformed("range", literal);
        }
        char open = literal.charAt(0);
        char close = literal.charAt(n - 1);
        if ((open != '[' && open != '(') || (close != ']' && close != ')')) {
            throw malformed("range", literal);
        }
        int[] pos = {1};
        String lower = field(literal, pos, n - 1, ",");
        if (pos[0] >= n - 1 || literal.charAt(pos[0]) != ',') {
            throw malformed("range", literal);
        }
        pos[0]++;
        String upper = field(literal, pos, n - 1, "");
        if (pos[0] != n - 1) {
            throw malformed("range", literal);
        }
        return new Range(false, lower, upper, open == '[', close == ']');
    }

    /**
     * One field of a composite or range bound, starting at {@code pos[0]} and ending before {@code end} or a
     * character of {@code stops}: empty means NULL; within quotes a doubled quote or a backslash escapes.
     */
    private static String field(String s, int[] pos, int end, String stops) {
        int i = pos[0];
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        while (i < end) {
            char c = s.charAt(i);
            if (c == '"') {
                any = true;
                if (quoted && i + 1 < end && s.charAt(i + 1) == '"') {
                    sb.append('"');
                    i += 2;
                    continue;
                }
                quoted = !quoted;
                i++;
                continue;
            }
            if (c == '\\' && i + 1 < end) {
                any = true;
                sb.append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            if (!quoted && stops.indexOf(c) >= 0) {
                break;
            }
            any = true;
            sb.append(c);
            i++;
        }
        pos[0] = i;
        return any ? sb.toString() : null;
    }

    private static String unescape(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                c = raw.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static DataException malformed(String what, String literal) {
        // The literal is row data: say where it breaks, not what it holds.
        return new DataException("Could not read a PostgreSQL " + what + " value of " + literal.length()
                + " characters: it is not in the text form PostgreSQL prints");
    }
}
