package dev.outflow.source.types;

import java.util.Locale;

/**
 * The configurable parts of the type mapping (group "Types" of the source configuration; see docs/types.md).
 *
 * @param unconstrainedNumeric how a {@code numeric} column without a declared scale travels
 * @param unconstrainedScale   the scale values are rounded to in {@link NumericHandling#DECIMAL}
 * @param unknownTypes         what happens to a column whose type has no mapping rule
 */
public record TypeOptions(NumericHandling unconstrainedNumeric, int unconstrainedScale, UnknownTypeHandling unknownTypes) {

    /** The defaults: nothing is lost, nothing is dropped. */
    public static final TypeOptions DEFAULTS = new TypeOptions(NumericHandling.STRING, 9, UnknownTypeHandling.TEXT);

    /** How an unconstrained {@code numeric} travels. */
    public enum NumericHandling {
        /** PostgreSQL's exact text ({@code 3.14159}, {@code NaN}, {@code Infinity}): every digit kept. */
        STRING,
        /** A FLOAT64: about 15-17 significant digits kept; NaN and ±Infinity kept. */
        DOUBLE,
        /** A Decimal with a fixed scale (rounded half away from zero, like PostgreSQL); NaN and ±Infinity: null. */
        DECIMAL;

        public String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What happens to a column whose type has no mapping rule (an extension's type, say). */
    public enum UnknownTypeHandling {
        /** The column travels as its PostgreSQL text form (a STRING). */
        TEXT,
        /** The column is left out of the record. */
        SKIP;

        public String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
