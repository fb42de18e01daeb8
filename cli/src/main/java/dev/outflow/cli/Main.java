package dev.outflow.cli;

import java.io.PrintWriter;
import java.util.Arrays;

import picocli.CommandLine;

import dev.outflow.cli.command.OutflowCommand;
import dev.outflow.cli.config.ConfigException;
import dev.outflow.cli.state.StateException;
import dev.outflow.cli.sync.DatabaseUnreachableException;
import dev.outflow.cli.sync.OutputUnwritableException;

/** Entry point of the outflow command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code (see {@link Exit}); never calls System.exit. */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /** As {@link #run(String...)}, writing to the given streams (null: stdout / stderr). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Logging.configure(Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose"));
        CommandLine cli = new CommandLine(new OutflowCommand());
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            int code = exitCode(e);
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            commandLine.getErr().println("outflow: " + message);
            commandLine.getErr().flush();
            if (code == Exit.SYNC_FAILED && Logging.verbose()) {
                e.printStackTrace(commandLine.getErr());
            }
            return code;
        });
        return cli.execute(args);
    }

    /** The exit code a failure stands for. */
    public static int exitCode(Throwable e) {
        if (e instanceof ConfigException || e instanceof StateException) {
            return Exit.CONFIG;
        }
        if (e instanceof DatabaseUnreachableException) {
            return Exit.DATABASE_UNREACHABLE;
        }
        if (e instanceof OutputUnwritableException) {
            return Exit.OUTPUT_UNWRITABLE;
        }
        return Exit.SYNC_FAILED;
    }
}
