package dev.outflow.cli.sync;

/** A sync that started failed while running (the state keeps everything published before the failure). */
public class SyncFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SyncFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
