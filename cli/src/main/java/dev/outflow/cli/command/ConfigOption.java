package dev.outflow.cli.command;

import java.nio.file.Path;

import picocli.CommandLine.Option;

import dev.outflow.cli.config.SyncConfig;
import dev.outflow.cli.config.YamlConfigLoader;

/** The --config option shared by the subcommands. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "outflow.yaml",
            description = "The YAML configuration (default: ${DEFAULT-VALUE} in the current directory).")
    Path file;

    @Option(names = {"-v", "--verbose"}, description = "Also show the connectors' own log lines (one per "
            + "published file, connections ...).")
    boolean verbose;

    SyncConfig load() {
        return YamlConfigLoader.load(file);
    }
}
