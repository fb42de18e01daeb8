package dev.outflow.source.catalog;

/**
 * One column as the catalog describes it.
 *
 * @param name       the column name as PostgreSQL spells it
 * @param typeName   {@code pg_type.typname} of the column's type; for a domain, of the domain's base type
 * @param typmod     the type modifier ({@code atttypmod}; a domain's {@code typtypmod}), -1 when none
 * @param notNull    whether the column has a NOT NULL constraint
 */
public record ColumnDefinition(String name, String typeName, int typmod, boolean notNull) {

    /** Precision of a {@code numeric(p,s)} column, or -1 for an unconstrained numeric. */
    public int numericPrecision() {
        return typmod < 0 ? -1 : ((typmod - 4) >> 16) & 0xffff;
    }

    /** Scale of a {@code numeric(p,s)} column, or -1 for an unconstrained numeric. */
    public int numericScale() {
        if (typmod < 0) {
            return -1;
        }
        // The low 16 bits hold the scale; since PostgreSQL 15 it may be negative (11-bit signed).
        int raw = (typmod - 4) & 0x7ff;
        return (raw & 0x400) != 0 ? raw - 0x800 : raw;
    }
}
