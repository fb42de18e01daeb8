package dev.outflow.cli.progress;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.HashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.cli.sync.SyncListener;
import dev.outflow.cli.sync.SyncPlan;
import dev.outflow.cli.sync.TableProgress;

/**
 * Shows how a sync goes. On a terminal: one live line, rewritten in place ('\r'), with rows/s and rows and files
 * per table. Otherwise (cron, a pipe, a log collector): plain log lines, one per table whose numbers changed, at
 * the end of each pass and at most every 10 seconds during a long one.
 */
public final class ProgressReporter implements SyncListener {
    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);
    private static final long TERMINAL_EVERY_MS = 250;
    private static final long LOG_EVERY_MS = 10_000;

    private final boolean terminal;
    private final PrintStream out;
    private final long startedAt = System.currentTimeMillis();
    private long lastShownAt;
    private int lastLineLength;
    private final Map<String, TableProgress> lastLogged = new HashMap<>();

    public ProgressReporter(boolean terminal, PrintStream out) {
        this.terminal = terminal;
        this.out = out;
    }

    @Override
    public void planned(SyncPlan plan) {
        log.info("Syncing {} table(s): {}", plan.tables().size(), String.join(", ", plan.tables().stream()
                .map(t -> t.table().qualifiedName() + " (" + t.readPlan().describe() + ")").toList()));
    }

    @Override
    public void progress(List<TableProgress> tables) {
        long now = System.currentTimeMillis();
        if (terminal && now - lastShownAt >= TERMINAL_EVERY_MS) {
            showLine(tables, now);
        } else if (!terminal && now - lastShownAt >= LOG_EVERY_MS) {
            logChanged(tables, now);
        }
    }

    @Override
    public void passCompleted(List<TableProgress> tables) {
        long now = System.currentTimeMillis();
        if (terminal) {
            showLine(tables, now);
        } else {
            logChanged(tables, now);
        }
    }

    /** Ends the live line, so what follows starts on its own line. */
    public void finish() {
        if (terminal && lastLineLength > 0) {
            out.println();
            out.flush();
            lastLineLength = 0;
        }
    }

    private void showLine(List<TableProgress> tables, long now) {
        lastShownAt = now;
        StringBuilder line = new StringBuilder();
        long total = tables.stream().mapToLong(TableProgress::rowsRead).sum();
        line.append(rate(total, now)).append(" rows/s");
        for (TableProgress t : tables) {
            line.append(" | ").append(t.table()).append(": ").append(t.rowsRead()).append(" read, ")
                    .append(t.rowsPublished()).append(" written, ").append(t.files()).append(" files");
        }
        String text = line.toString();
        int pad = Math.max(0, lastLineLength - text.length());
        out.print("\r" + text + " ".repeat(pad));
        out.flush();
        lastLineLength = text.length();
    }

    private void logChanged(List<TableProgress> tables, long now) {
        lastShownAt = now;
        for (TableProgress t : tables) {
            TableProgress before = lastLogged.get(t.topic());
            if (before != null && before.rowsRead() == t.rowsRead() && before.rowsPublished() == t.rowsPublished()
                    && before.files() == t.files()) {
                continue;
            }
            lastLogged.put(t.topic(), t);
            log.info("{}: {} rows read, {} rows written, {} files, {} rows/s, watermark {}", t.table(),
                    t.rowsRead(), t.rowsPublished(), t.files(), rate(t.rowsRead(), now),
                    t.watermark() == null ? "none" : t.watermark());
        }
    }

    private long rate(long rows, long now) {
        long elapsed = Math.max(1, now - startedAt);
        return rows * 1000 / elapsed;
    }
}
