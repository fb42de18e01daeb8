package dev.outflow.source.query;

/** A table cannot be read as configured; names the configuration key to change. */
public final class PlanException extends Exception {

    private final String configKey;

    public PlanException(String configKey, String message) {
        super(message);
        this.configKey = configKey;
    }

    /** The key whose value has to change (validation reports the message on it). */
    public String configKey() {
        return configKey;
    }
}
