package dev.outflow.cli.state;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The write-ahead journal: for every record handed to the sink and not yet covered by a stored table state, its
 * synthetic offset and the source offset it carried. It is appended and fsynced <i>before</i> the records reach
 * the sink, so whatever the sink may have published, the source position right after it can be found again.
 *
 * <p>Why it is needed: after a crash between publishing a file and storing the table state, the sink's recovery
 * says "published up to offset N", beyond the stored state. Reading the table again from the stored watermark
 * and skipping N records would not be exact in timestamp mode: rows updated in between move to the end, so the
 * skipped records are no longer the published ones. The journal gives the source offset of record N-1 itself.
 *
 * <p>One JSON object per line; a torn last line (a crash while appending) is ignored: its records never reached
 * the sink, because the sink gets them only after the append is fsynced.
 */
public final class Journal implements AutoCloseable {

    private final Path file;
    private FileChannel channel;
    private final Map<String, NavigableMap<Long, Map<String, Object>>> byTopic = new HashMap<>();

    private Journal(Path file) {
        this.file = file;
    }

    static Journal open(Path file) throws IOException {
        Journal journal = new Journal(file);
        if (Files.exists(file)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    JournalEntry e;
                    try {
                        e = StateStore.JSON.readValue(line, JournalEntry.class);
                    } catch (JsonProcessingException torn) {
                        break;
                    }
                    journal.remember(e);
                }
            }
        }
        journal.rewrite(); // drops a torn tail, so later appends start on a clean line
        return journal;
    }

    private void remember(JournalEntry e) {
        byTopic.computeIfAbsent(e.topic(), t -> new TreeMap<>()).put(e.offset(), e.source());
    }

    /** Appends entries and fsyncs them; only then may their records be given to the sink. */
    public synchronized void append(List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 96);
            for (JournalEntry e : entries) {
                out.write(StateStore.JSON.writer().without(
                        com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(e));
                out.write('\n');
            }
            ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the journal " + file + ": " + e, e);
        }
        entries.forEach(this::remember);
    }

    /** The journal entry of a record, if it is still journaled. */
    public synchronized Optional<JournalEntry> find(String topic, long offset) {
        NavigableMap<Long, Map<String, Object>> entries = byTopic.get(topic);
        if (entries == null || !entries.containsKey(offset)) {
            return Optional.empty();
        }
        return Optional.of(new JournalEntry(topic, offset, entries.get(offset)));
    }

    /** Drops entries below {@code nextOffset} in memory (their table state is stored); see {@link #compact()}. */
    public synchronized void forgetBelow(String topic, long nextOffset) {
        NavigableMap<Long, Map<String, Object>> entries = byTopic.get(topic);
        if (entries != null) {
            entries.headMap(nextOffset, false).clear();
        }
    }

    /** Drops entries at or above {@code offset}: those records will be read and journaled again. */
    public synchronized void forgetFrom(String topic, long offset) {
        NavigableMap<Long, Map<String, Object>> entries = byTopic.get(topic);
        if (entries != null) {
            entries.tailMap(offset, true).clear();
        }
    }

    public synchronized void forgetTopic(String topic) {
        byTopic.remove(topic);
        compact();
    }

    /** Rewrites the file with what is still remembered (atomically), so it does not grow without end. */
    public synchronized void compact() {
        try {
            rewrite();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot rewrite the journal " + file + ": " + e, e);
        }
    }

    public synchronized int size() {
        return byTopic.values().stream().mapToInt(Map::size).sum();
    }

    private void rewrite() throws IOException {
        closeChannel();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var writer = StateStore.JSON.writer().without(
                com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        for (var topic : byTopic.entrySet()) {
            for (var e : topic.getValue().entrySet()) {
                out.write(writer.writeValueAsBytes(new JournalEntry(topic.getKey(), e.getKey(), e.getValue())));
                out.write('\n');
            }
        }
        AtomicFiles.write(file, out.toByteArray());
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public synchronized void close() {
        try {
            closeChannel();
        } catch (IOException e) {
            // nothing left to write
        }
    }
}
