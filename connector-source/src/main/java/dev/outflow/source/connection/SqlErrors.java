package dev.outflow.source.connection;

import java.sql.SQLException;
import java.util.Set;

/** Sorts database errors into those worth retrying (the database or network had a moment) and the rest. */
public final class SqlErrors {

    // SQLSTATEs that mean "try again later": lost connection (class 08), server shutting down or starting
    // (57P01-57P03), too many connections (53300), serialization failure and deadlock (40001, 40P01).
    private static final Set<String> TRANSIENT = Set.of("57P01", "57P02", "57P03", "53300", "40001", "40P01");

    /** The table or one of its columns disappeared or changed under us: re-read the catalog and try again. */
    private static final Set<String> DEFINITION_CHANGED = Set.of("42P01", "42703", "42804", "0A000");

    private SqlErrors() {
    }

    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || TRANSIENT.contains(state);
    }

    public static boolean isDefinitionChanged(SQLException e) {
        return e.getSQLState() != null && DEFINITION_CHANGED.contains(e.getSQLState());
    }

    public static boolean isAuthentication(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("28");
    }
}
