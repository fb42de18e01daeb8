package dev.outflow.cli.sync;

/** The database cannot be reached or refuses the login. */
public class DatabaseUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatabaseUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
