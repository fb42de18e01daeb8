package dev.outflow.sink.storage;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;

/**
 * A real storage with faults injected at two points, for tests: before a file is created, and around its
 * publication. Everything else passes straight through.
 */
public abstract class InterceptingStorage implements Storage {
    private final Storage delegate;

    protected InterceptingStorage(Storage delegate) {
        this.delegate = delegate;
    }

    /** Called before a file is created; throw to fail the creation. */
    protected void beforeCreate(String key) throws IOException {
    }

    /** Publishes {@code real}; override to fail before or after doing so. */
    protected void publish(PendingFile real) throws IOException {
        real.publish();
    }

    @Override
    public final PendingFile create(String key) throws IOException {
        beforeCreate(key);
        PendingFile real = delegate.create(key);
        return new PendingFile() {
            @Override
            public String key() {
                return real.key();
            }

            @Override
            public OutputFile outputFile() {
                return real.outputFile();
            }

            @Override
            public void publish() throws IOException {
                InterceptingStorage.this.publish(real);
            }

            @Override
            public void abort() {
                real.abort();
            }
        };
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }

    @Override
    public InputFile open(String key) throws IOException {
        return delegate.open(key);
    }

    @Override
    public int discardPending(String prefix, Collection<String> fileNamePrefixes) throws IOException {
        return delegate.discardPending(prefix, fileNamePrefixes);
    }
}
