package dev.outflow.sink.storage;

import java.nio.file.Path;

import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.storage.s3.S3Settings;
import dev.outflow.sink.storage.s3.S3Storage;

/** Creates the {@link Storage} that {@code storage.type} names. */
public final class Storages {
    private Storages() {
    }

    /** Throws a ConfigException naming the key to fix when the chosen storage's settings are incomplete. */
    public static Storage create(ParquetSinkConfig config) {
        if (ParquetSinkConfig.STORAGE_S3.equals(config.storageType())) {
            return new S3Storage(S3Settings.from(config));
        }
        return new LocalStorage(Path.of(config.localDir()));
    }
}
