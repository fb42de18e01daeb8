package dev.outflow.cli.state;

/** The state directory cannot be used (not creatable, unreadable, locked by another run). */
public class StateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
