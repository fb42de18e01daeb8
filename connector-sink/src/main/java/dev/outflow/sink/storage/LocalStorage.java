package dev.outflow.sink.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files on the worker's file system. A pending file is {@code .<name>.inprogress} in the target directory (hidden
 * from {@code *.parquet} globs, on the same file system so the rename is atomic); publishing fsyncs it, renames it
 * over the final name and fsyncs the directory, so a published file survives a power loss.
 */
public final class LocalStorage implements Storage {
    private static final Logger log = LoggerFactory.getLogger(LocalStorage.class);
    static final String PENDING_SUFFIX = ".inprogress";

    private final Path root;

    public LocalStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public PendingFile create(String key) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path pending = target.resolveSibling("." + target.getFileName() + PENDING_SUFFIX);
        return new LocalPendingFile(key, pending, target);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return walk(prefix, false);
    }

    @Override
    public void delete(String key) throws IOException {
        Path path = resolve(key);
        Files.deleteIfExists(path);
        try (FileChannel dir = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    @Override
    public InputFile open(String key) {
        return new LocalInputFile(resolve(key));
    }

    @Override
    public int discardPending(String prefix, Collection<String> fileNamePrefixes) throws IOException {
        List<String> pending = walk(prefix, true).stream()
                .filter(key -> {
                    String name = key.substring(key.lastIndexOf('/') + 1);
                    return fileNamePrefixes.stream().anyMatch(p -> name.startsWith("." + p));
                })
                .toList();
        for (String key : pending) {
            Files.deleteIfExists(resolve(key));
        }
        if (!pending.isEmpty()) {
            log.info("Removed {} unpublished file(s) under {} left by an earlier attempt", pending.size(), prefix);
        }
        return pending.size();
    }

    private List<String> walk(String prefix, boolean pendingFiles) throws IOException {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String name = p.getFileName().toString();
                boolean isPending = name.startsWith(".") && name.endsWith(PENDING_SUFFIX);
                if (isPending == pendingFiles) {
                    keys.add(root.relativize(p).toString().replace('\\', '/'));
                }
            });
        }
        return keys;
    }

    /** Resolves a key under the root, refusing any key that would land outside it. */
    private Path resolve(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new ConnectException("Refusing to write outside local.dir: " + key);
        }
        return p;
    }

    private static final class LocalPendingFile implements PendingFile {
        private final String key;
        private final Path pending;
        private final Path target;

        LocalPendingFile(String key, Path pending, Path target) {
            this.key = key;
            this.pending = pending;
            this.target = target;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public OutputFile outputFile() {
            return new LocalOutputFile(pending);
        }

        @Override
        public void publish() throws IOException {
            try (FileChannel ch = FileChannel.open(pending, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(pending, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("The file system under " + target.getParent() + " cannot rename atomically; "
                        + "point local.dir at a local file system", e);
            }
            try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        }

        @Override
        public void abort() {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException e) {
                log.warn("Could not remove unpublished file {}: {}", pending, e.getMessage());
            }
        }
    }
}
