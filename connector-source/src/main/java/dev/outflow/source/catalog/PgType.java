package dev.outflow.source.catalog;

import java.util.List;

/**
 * A PostgreSQL type as the type mapping needs it, resolved from {@code pg_type}: domains are already replaced by
 * their base type, arrays know their element type, ranges their subtype and composites their attributes.
 *
 * @param schema     the type's schema ({@code pg_catalog} for built-in types)
 * @param name       {@code pg_type.typname}, e.g. {@code int4}, {@code _int4} (an array), {@code hstore}
 * @param kind       what shape of value the type has
 * @param typmod     the type modifier (e.g. a numeric's precision and scale), -1 when none. For {@code money} it
 *                   is the session's money scale written as a {@code numeric(19,s)} modifier, because money's
 *                   scale comes from {@code lc_monetary}, not from the column
 * @param element    the element type of an array, the subtype of a range; null otherwise
 * @param attributes the attributes of a composite type in order; empty otherwise
 * @param delimiter  the character between array elements of this type ({@code typdelim}; ',' for nearly all)
 */
public record PgType(String schema, String name, Kind kind, int typmod, PgType element, List<Attribute> attributes,
        char delimiter) {

    /** The shape of a type's values. */
    public enum Kind {
        /** A scalar base type (built-in or from an extension). */
        BASE,
        /** An enum: a label. */
        ENUM,
        /** A one-dimensional array of {@link #element()} (PostgreSQL does not fix the dimension in the type). */
        ARRAY,
        /** A range of {@link #element()}. */
        RANGE,
        /** A multirange (PostgreSQL 14+). */
        MULTIRANGE,
        /** A composite (row) type with {@link #attributes()}. */
        COMPOSITE,
        /** Anything else (pseudo-types): never mapped. */
        OTHER
    }

    /** One attribute (field) of a composite type. */
    public record Attribute(String name, PgType type) {
    }

    public PgType {
        attributes = List.copyOf(attributes);
    }

    /** A base type known by name only (tests, and callers that do not read the catalog). */
    public static PgType base(String name, int typmod) {
        return new PgType("pg_catalog", name, Kind.BASE, typmod, null, List.of(), ',');
    }

    /** {@code schema.name}, how messages name the type. */
    public String qualifiedName() {
        return schema + "." + name;
    }
}
