package dev.outflow.sink.storage;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

import org.apache.parquet.io.InputFile;

/**
 * Where files go. A file is first written somewhere readers never look (a pending file), then published in one
 * atomic step, so a reader — or a restarted task — sees a whole file or none of it. Keys are '/'-separated and
 * relative to the storage root.
 */
public interface Storage extends Closeable {

    /** Starts a file that becomes visible at {@code key} only when published. */
    PendingFile create(String key) throws IOException;

    /** Keys of published files under a prefix, at any depth. */
    List<String> list(String prefix) throws IOException;

    /** Removes a published file (recovery rolls back a checkpoint that was cut short). */
    void delete(String key) throws IOException;

    /** Opens a published file for reading (recovery reads footers). */
    InputFile open(String key) throws IOException;

    /**
     * Removes what unpublished attempts left under a prefix (e.g. after a crash), for files whose final name
     * starts with one of {@code fileNamePrefixes} (one per Kafka partition: a task only cleans up its own).
     * Returns how many.
     */
    int discardPending(String prefix, Collection<String> fileNamePrefixes) throws IOException;

    /** {@link #discardPending(String, Collection)} for one file name prefix. */
    default int discardPending(String prefix, String fileNamePrefix) throws IOException {
        return discardPending(prefix, List.of(fileNamePrefix));
    }

    /** Releases connections and threads (an S3 client's pool); the storage is not used afterwards. */
    @Override
    default void close() throws IOException {
    }

    /** A file being written. */
    interface PendingFile {
        String key();

        org.apache.parquet.io.OutputFile outputFile();

        /** Makes the fully written file visible at its key, replacing any file already there. */
        void publish() throws IOException;

        /** Drops the unpublished file. Never throws. */
        void abort();
    }
}
