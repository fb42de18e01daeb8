package dev.outflow.cli.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The state directory: one human-readable JSON file per table under {@code tables/}, the write-ahead
 * {@link Journal}, and a lock file so two runs cannot share one directory. Every table file is replaced
 * atomically (see {@link AtomicFiles}).
 */
public final class StateStore implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Path tablesDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, TableState> tables = new TreeMap<>();
    private final Journal journal;

    private StateStore(Path dir, FileChannel lockChannel, FileLock lock) throws IOException {
        this.dir = dir;
        this.tablesDir = dir.resolve("tables");
        this.lockChannel = lockChannel;
        this.lock = lock;
        Files.createDirectories(tablesDir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tablesDir, "*.json")) {
            for (Path f : files) {
                TableState state = JSON.readValue(f.toFile(), TableState.class);
                tables.put(state.topic(), state);
            }
        }
        journal = Journal.open(dir.resolve("journal.jsonl"));
    }

    /**
     * Opens (creating it if needed) and locks the state directory.
     *
     * @throws StateException when it cannot be created, read, or is in use by another run
     */
    public static StateStore open(Path dir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new StateException("State directory " + dir + " is in use by another outflow run; wait for "
                        + "it to finish, or give this one its own state_dir");
            }
            return new StateStore(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StateException("Cannot use state directory " + dir + " (" + e + "); check state_dir and its "
                    + "permissions", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The stored table states without opening (or creating, or locking) the directory: for --dry-run. */
    public static Map<String, TableState> read(Path dir) {
        Map<String, TableState> found = new TreeMap<>();
        Path tables = dir.resolve("tables");
        if (!Files.isDirectory(tables)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tables, "*.json")) {
            for (Path f : files) {
                TableState state = JSON.readValue(f.toFile(), TableState.class);
                found.put(state.topic(), state);
            }
        } catch (IOException e) {
            throw new StateException("Cannot read state directory " + dir + ": " + e, e);
        }
        return found;
    }

    public Path dir() {
        return dir;
    }

    public Journal journal() {
        return journal;
    }

    /** The stored state of a table, by topic, or null when it never synced (or was never stored). */
    public TableState get(String topic) {
        return tables.get(topic);
    }

    public Map<String, TableState> all() {
        return Map.copyOf(tables);
    }

    /** Stores a table's state durably (atomic replace). */
    public void put(String table, String topic, long nextOffset, Map<String, Object> watermark) {
        TableState state = new TableState(table, topic, nextOffset, watermark, Instant.now().toString());
        try {
            AtomicFiles.write(fileOf(topic), JSON.writeValueAsBytes(state));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the state of " + table + " in " + dir + ": " + e, e);
        }
        tables.put(topic, state);
    }

    /**
     * Forgets a table's watermark so the next sync reads it from the start. Its next offset is kept: files
     * already written stay, and the re-sync's files continue after them instead of being mistaken by the sink's
     * recovery for records already published.
     */
    public void reset(String topic) {
        TableState state = tables.get(topic);
        if (state != null) {
            put(state.table(), topic, state.nextOffset(), null);
        }
        journal.forgetTopic(topic);
    }

    private Path fileOf(String topic) {
        return tablesDir.resolve(topic + ".json");
    }


    @Override
    public void close() {
        journal.close();
        try {
            lock.release();
        } catch (IOException e) {
            // the lock goes with the channel anyway
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
