package dev.outflow.cli;

/**
 * Configures slf4j-simple before the first logger exists: the command's own lines at INFO, everything else
 * (the connectors' per-file lines, the JDBC driver, the AWS SDK, Parquet, Hadoop) at WARN, unless --verbose.
 */
final class Logging {
    private static boolean verbose;

    private Logging() {
    }

    static void configure(boolean verbose) {
        Logging.verbose = verbose;
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.log.dev.outflow.cli", "info");
        if (verbose) {
            setDefault("org.slf4j.simpleLogger.log.dev.outflow", "info");
        }
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "false");
    }

    static boolean verbose() {
        return verbose;
    }

    /** A -D on the java command line wins. */
    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
