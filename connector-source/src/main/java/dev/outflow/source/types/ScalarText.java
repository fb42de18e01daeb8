package dev.outflow.source.types;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;

import org.apache.kafka.connect.errors.DataException;

/** Reads PostgreSQL's text forms of the non-temporal scalars whose text needs more than a Java parse. */
final class ScalarText {

    private ScalarText() {
    }

    static boolean bool(String s) {
        return switch (s) {
            case "t", "true" -> true;
            case "f", "false" -> false;
            default -> throw new DataException("Could not read a PostgreSQL boolean: expected t or f");
        };
    }

    /** A {@code numeric} as an exact decimal, or null for NaN and ±Infinity (no decimal holds them). */
    static BigDecimal decimalOrNull(String s) {
        return isSpecialNumeric(s) ? null : new BigDecimal(s);
    }

    static boolean isSpecialNumeric(String s) {
        return "NaN".equals(s) || "Infinity".equals(s) || "-Infinity".equals(s);
    }

    /**
     * A numeric in PostgreSQL's own plain notation. pgjdbc's binary transfer hands numerics over as BigDecimal,
     * whose text may be scientific ({@code 1E-7}); the plain form of the same BigDecimal is PostgreSQL's text.
     */
    static String plainNumeric(String s) {
        return isSpecialNumeric(s) ? s : new BigDecimal(s).toPlainString();
    }

    /**
     * A {@code money} value: its text depends on {@code lc_monetary} ({@code $1,234.56}, {@code -1.234,56 €}),
     * but it is always every digit of the amount in minor units, with the locale's fraction digits, so the digits
     * and the sign are the exact value.
     */
    static BigDecimal money(String s, int scale) {
        StringBuilder digits = new StringBuilder(s.length());
        boolean negative = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c == '-' || c == '(') {
                negative = true;
            }
        }
        if (digits.length() == 0) {
            throw new DataException("Could not read a PostgreSQL money value: it holds no digits");
        }
        BigInteger unscaled = new BigInteger(digits.toString());
        return new BigDecimal(negative ? unscaled.negate() : unscaled, scale);
    }

    /** A {@code bytea} in the hex ({@code \x0aff}, the default) or escape ({@code a\000\\}) output format. */
    static byte[] bytea(String s) {
        if (s.startsWith("\\x")) {
            int n = (s.length() - 2) / 2;
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) Integer.parseInt(s, 2 + 2 * i, 4 + 2 * i, 16);
            }
            return out;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                out.write('\\');
                i++;
            } else if (c == '\\' && isOctal(s, i + 1)) {
                out.write(Integer.parseInt(s, i + 1, i + 4, 8));
                i += 3;
            } else {
                out.write((byte) c);
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
