package dev.outflow.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import dev.outflow.cli.demo.DemoCommand;
import dev.outflow.source.Version;

/** {@code outflow}: the top-level command; the work is in its subcommands. */
@Command(name = "outflow", mixinStandardHelpOptions = true, versionProvider = OutflowCommand.VersionProvider.class,
        description = "Keeps PostgreSQL tables synced into partitioned Snappy Parquet files on local disk or S3, "
                + "in one process (no Kafka needed).",
        subcommands = {SyncCommand.class, ResetStateCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  done (also after a clean stop by SIGTERM or Ctrl-C)",
            "  1  the sync failed while running (everything published before is kept)",
            "  2  bad command line, bad YAML or a setting the connectors refuse",
            "  3  the database cannot be reached or refuses the login",
            "  4  the output directory or bucket cannot be written",
            "", "Documentation: docs/cli.md"})
public final class OutflowCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a command: sync, reset-state or demo");
    }

    /** The build's version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"outflow " + Version.get(), "Java " + System.getProperty("java.version")};
        }
    }
}
