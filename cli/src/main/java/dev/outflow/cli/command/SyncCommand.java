package dev.outflow.cli.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import dev.outflow.cli.Exit;
import dev.outflow.cli.Main;
import dev.outflow.cli.config.SyncConfig;
import dev.outflow.cli.plan.DryRun;
import dev.outflow.cli.progress.ProgressReporter;
import dev.outflow.cli.sync.SyncEngine;

/** {@code outflow sync}: reads the tables and writes Parquet, once or continuously. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Read the configured tables and write what changed since the last run as Parquet files.",
            "Without --once it keeps syncing every poll_interval until stopped (Ctrl-C or SIGTERM stop it "
                + "cleanly: what was read is published and its state stored)."})
public final class SyncCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--once", description = "One pass over every table, then exit (for cron).")
    boolean once;

    @Option(names = "--dry-run", description = "Write nothing; print the plan: each table's columns and types, "
            + "mode, stored watermark, file layout and the rows still to read.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SyncConfig c = config.load();
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            DryRun.print(c, out);
            out.flush();
            return Exit.OK;
        }
        ProgressReporter progress = new ProgressReporter(System.console() != null, System.out);
        SyncEngine engine = new SyncEngine(c, progress);
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(Exit.OK);
        Thread hook = new Thread(() -> {
            engine.stop();
            try {
                // Let the sync publish what it read and store its state before the JVM goes.
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            System.err.flush();
            // A JVM ended by a signal exits with 128+signal after its hooks; a clean stop is a success.
            Runtime.getRuntime().halt(exitCode.get());
        }, "outflow-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            engine.run(once);
        } catch (RuntimeException e) {
            exitCode.set(Main.exitCode(e));
            throw e;
        } finally {
            progress.finish();
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook is running and ends the JVM
            }
        }
        return Exit.OK;
    }
}
