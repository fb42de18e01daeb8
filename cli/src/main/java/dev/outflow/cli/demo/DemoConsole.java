package dev.outflow.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.outflow.cli.sync.SyncListener;
import dev.outflow.cli.sync.TableProgress;

/**
 * What the demo tells its user: once the first pass has landed, where the files are and how to read them; then,
 * after each pass that wrote something, one line per table that grew. Plain lines (no live line), so it reads the
 * same in a terminal and in a log.
 */
final class DemoConsole implements SyncListener {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintWriter out;
    private final Path lake;
    private final Map<String, Long> published = new HashMap<>();
    private boolean firstPassShown;

    DemoConsole(PrintWriter out, Path lake) {
        this.out = out;
        this.lake = lake;
    }

    @Override
    public synchronized void passCompleted(List<TableProgress> tables) {
        if (!firstPassShown) {
            firstPassShown = true;
            out.println();
            out.println("First sync done:");
            tables.forEach(t -> out.printf("  %-18s %,7d rows in %,4d Parquet file(s)%n", t.table(),
                    t.rowsPublished(), t.files()));
            tables.forEach(t -> published.put(t.table(), t.rowsPublished()));
            out.println();
            out.println("The files are under " + lake + " (Hive-style directories, Snappy Parquet).");
            out.println("Read them with DuckDB (https://duckdb.org), e.g. the latest version of each order:");
            out.println();
            out.println("  duckdb -c \"" + latestOrdersQuery(tables) + "\"");
            out.println();
            out.println("The shop keeps changing rows every few seconds; each change lands as new rows below. "
                    + "Ctrl-C stops the demo and removes its database (the files stay).");
            out.println();
            out.flush();
            return;
        }
        StringBuilder line = new StringBuilder();
        for (TableProgress t : tables) {
            long before = published.getOrDefault(t.table(), 0L);
            if (t.rowsPublished() > before) {
                line.append(line.length() == 0 ? "" : ", ").append(t.table()).append(" +")
                        .append(t.rowsPublished() - before);
                published.put(t.table(), t.rowsPublished());
            }
        }
        if (line.length() > 0) {
            out.println(LocalTime.now().format(CLOCK) + "  synced: " + line);
            out.flush();
        }
    }

    /** The query the banner suggests; the orders' directory is named after their topic. */
    private String latestOrdersQuery(List<TableProgress> tables) {
        String topic = tables.stream().filter(t -> t.table().equals("shop.orders")).map(TableProgress::topic)
                .findFirst().orElse("shop.orders");
        return "SELECT id, status, total, updated_at FROM read_parquet('" + lake.resolve(topic)
                + "/**/*.parquet', hive_partitioning = true) QUALIFY row_number() OVER (PARTITION BY id "
                + "ORDER BY updated_at DESC) = 1 ORDER BY updated_at DESC LIMIT 10";
    }

    synchronized void changed(String what) {
        out.println(LocalTime.now().format(CLOCK) + "  shop:   " + what);
        out.flush();
    }
}
