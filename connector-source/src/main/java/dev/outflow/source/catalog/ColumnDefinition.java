package dev.outflow.source.catalog;

/**
 * One column as the catalog describes it.
 *
 * @param name    the column name as PostgreSQL spells it
 * @param type    the column's type; for a domain, its base type with the domain's modifier
 * @param notNull whether the column has a NOT NULL constraint (its own or its domain's)
 */
public record ColumnDefinition(String name, PgType type, boolean notNull) {

    /** A column of a base type known by name (tests, and callers that do not read the catalog). */
    public ColumnDefinition(String name, String typeName, int typmod, boolean notNull) {
        this(name, PgType.base(typeName, typmod), notNull);
    }

    /** {@code pg_type.typname} of the column's type; for a domain, of the domain's base type. */
    public String typeName() {
        return type.name();
    }

    /** The type modifier ({@code atttypmod}; a domain's {@code typtypmod}), -1 when none. */
    public int typmod() {
        return type.typmod();
    }

    /** Precision of a {@code numeric(p,s)} column, or -1 for an unconstrained numeric. */
    public int numericPrecision() {
        return numericPrecision(typmod());
    }

    /** Scale of a {@code numeric(p,s)} column, or -1 for an unconstrained numeric. */
    public int numericScale() {
        return numericScale(typmod());
    }

    /** Precision encoded in a numeric type modifier, or -1 for none. */
    public static int numericPrecision(int typmod) {
        return typmod < 0 ? -1 : ((typmod - 4) >> 16) & 0xffff;
    }

    /** Scale encoded in a numeric type modifier, or -1 for none. */
    public static int numericScale(int typmod) {
        if (typmod < 0) {
            return -1;
        }
        // The low 16 bits hold the scale; since PostgreSQL 15 it may be negative (11-bit signed).
        int raw = (typmod - 4) & 0x7ff;
        return (raw & 0x400) != 0 ? raw - 0x800 : raw;
    }

    /** The type modifier PostgreSQL writes for {@code numeric(precision, scale)}. */
    public static int numericTypmod(int precision, int scale) {
        return ((precision << 16) | (scale & 0x7ff)) + 4;
    }
}
