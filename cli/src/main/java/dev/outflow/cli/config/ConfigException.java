package dev.outflow.cli.config;

/**
 * A configuration the command cannot run with: a bad YAML file, a key it does not know, a value of the wrong kind,
 * or a connector key the connectors refuse. The message names the file, the line and the key when they are known.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
