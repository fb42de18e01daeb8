package dev.outflow.source.query;

/** SQL identifier quoting. Every identifier we put in SQL goes through here: names may hold any character. */
public final class Identifiers {

    private Identifiers() {
    }

    /** {@code "name"} with embedded double quotes doubled, as PostgreSQL requires. */
    public static String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
