package dev.outflow.cli;

/** The command's exit codes (docs/cli.md lists them). */
public final class Exit {
    /** Done (also after a clean stop by SIGTERM or Ctrl-C). */
    public static final int OK = 0;
    /** The sync started and failed while running. */
    public static final int SYNC_FAILED = 1;
    /** Bad command line, bad YAML, or a setting the connectors refuse. */
    public static final int CONFIG = 2;
    /** The database cannot be reached or refuses the login. */
    public static final int DATABASE_UNREACHABLE = 3;
    /** The output directory or bucket cannot be written. */
    public static final int OUTPUT_UNWRITABLE = 4;

    private Exit() {
    }
}
