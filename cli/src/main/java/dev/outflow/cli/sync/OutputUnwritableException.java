package dev.outflow.cli.sync;

/** The output directory or bucket cannot be written. */
public class OutputUnwritableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputUnwritableException(String message) {
        super(message);
    }
}
