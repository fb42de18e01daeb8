package dev.outflow.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's own {@code outflow.yaml}, written into the demo directory so people can read (and reuse) the very
 * config the demo syncs with: the same file {@code outflow sync --config} takes.
 */
final class DemoConfig {

    /** First line of the file: how a later demo run knows the directory is its own to clear. */
    static final String MARKER = "# Written by `outflow demo`";

    private DemoConfig() {
    }

    static Path write(Path dir, DemoDatabase db) {
        String yaml = MARKER + """
                : the config it syncs its throwaway database with.
                # The same file works with `outflow sync --config <this file>` against a database of your own.
                postgres:
                  host: 127.0.0.1
                  port: %d
                  database: postgres
                  user: %s
                output:
                  type: local
                  path: lake
                state_dir: state
                poll_interval: 2s
                tables:
                  - name: shop.customers
                    incremental_column: updated_at
                  - name: shop.products
                    incremental_column: updated_at
                  - name: shop.orders
                    incremental_column: updated_at
                    partition_by: date
                  - name: shop.order_lines
                    incremental_column: id
                """.formatted(db.port(), db.user());
        Path file = dir.resolve("outflow.yaml");
        try {
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        return file;
    }

    /** Whether {@code dir} holds an earlier demo's output (and nothing says it is anyone else's). */
    static boolean isDemoDirectory(Path dir) {
        Path file = dir.resolve("outflow.yaml");
        try {
            return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).startsWith(MARKER);
        } catch (IOException e) {
            return false;
        }
    }
}
