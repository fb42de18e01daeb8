package dev.outflow.cli.command;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import dev.outflow.cli.Exit;
import dev.outflow.cli.config.ConfigException;
import dev.outflow.cli.config.SyncConfig;
import dev.outflow.cli.state.StateStore;
import dev.outflow.cli.state.TableState;

/**
 * {@code outflow reset-state}: forgets the watermark of every table (or one), so the next sync reads it again from
 * the start. Files already written stay; the new ones are numbered after them.
 */
@Command(name = "reset-state", mixinStandardHelpOptions = true,
        description = {"Forget the stored watermark of every table, or of one with --table, so the next sync "
                + "reads them again from the start.",
            "Files already written stay where they are (delete the table's output directory first for a clean "
                + "copy); the re-read rows go to new files numbered after them."})
public final class ResetStateCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = {"-t", "--table"}, paramLabel = "TABLE",
            description = "Only this table: schema.table, or table for the default schema.")
    String table;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SyncConfig c = config.load();
        try (StateStore state = StateStore.open(c.stateDir())) {
            Map<String, TableState> all = state.all();
            int reset = 0;
            for (TableState t : all.values()) {
                if (table == null || matches(t, c)) {
                    state.reset(t.topic());
                    spec.commandLine().getOut().println("Reset " + t.table() + " (next sync reads it from the "
                            + "start; its files continue after offset " + t.nextOffset() + ")");
                    reset++;
                }
            }
            if (table != null && reset == 0) {
                throw new ConfigException("No stored state for table " + table + " in " + c.stateDir() + "; "
                        + "tables with state: " + (all.isEmpty() ? "none" : String.join(", ",
                                all.values().stream().map(TableState::table).toList())));
            }
            if (reset == 0) {
                spec.commandLine().getOut().println("Nothing to reset: " + c.stateDir() + " holds no state yet");
            }
        }
        return Exit.OK;
    }

    private boolean matches(TableState t, SyncConfig c) {
        String defaultSchema = c.schema() != null ? c.schema() : "public";
        String wanted = table.contains(".") ? table : defaultSchema + "." + table;
        return t.table().equals(wanted);
    }
}
