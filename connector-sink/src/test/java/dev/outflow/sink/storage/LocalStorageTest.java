package dev.outflow.sink.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.parquet.io.PositionOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTest {

    @TempDir
    Path root;

    private static void write(Storage.PendingFile f, String text) throws IOException {
        try (PositionOutputStream out = f.outputFile().createOrOverwrite(0)) {
            out.write(text.getBytes());
        }
    }

    @Test
    void aPendingFileIsInvisibleUntilPublished() throws IOException {
        LocalStorage storage = new LocalStorage(root);
        Storage.PendingFile f = storage.create("t/p=0/t+0+1.snappy.parquet");
        write(f, "data");
        assertEquals(List.of(), storage.list("t/"));
        f.publish();
        assertEquals(List.of("t/p=0/t+0+1.snappy.parquet"), storage.list("t/"));
        assertEquals("data", Files.readString(root.resolve("t/p=0/t+0+1.snappy.parquet")));
    }

    @Test
    void publishReplacesAnEarlierAttempt() throws IOException {
        LocalStorage storage = new LocalStorage(root);
        Storage.PendingFile a = storage.create("t/x.parquet");
        write(a, "first");
        a.publish();
        Storage.PendingFile b = storage.create("t/x.parquet");
        write(b, "second");
        b.publish();
        assertEquals("second", Files.readString(root.resolve("t/x.parquet")));
    }

    @Test
    void discardPendingRemovesOnlyTheNamedPartitionsLeftovers() throws IOException {
        LocalStorage storage = new LocalStorage(root);
        write(storage.create("t/p/t+0+5.snappy.parquet"), "mine");
        write(storage.create("t/p/t+1+5.snappy.parquet"), "another task's");
        assertEquals(1, storage.discardPending("t/", "t+0+"));
        try (var files = Files.list(root.resolve("t/p"))) {
            assertEquals(List.of(".t+1+5.snappy.parquet.inprogress"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void keysCannotEscapeTheRoot() {
        LocalStorage storage = new LocalStorage(root.resolve("lake"));
        assertThrows(ConnectException.class, () -> storage.create("../outside.parquet"));
    }

    @Test
    void listingAMissingPrefixIsEmpty() throws IOException {
        assertEquals(List.of(), new LocalStorage(root).list("nothing/"));
    }
}
