package dev.outflow.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The Confluent Hub archive the distribution module built: target/outflow-outflow-<version>.zip. */
final class HubArchive {

    static final String OWNER = "outflow";
    static final String NAME = "outflow";

    private HubArchive() {
    }

    /** The project version the build ran with (system property set by the pom). */
    static String version() {
        return property("outflow.version");
    }

    /** {@code <owner>-<name>-<version>}: the zip's base name and its single top directory. */
    static String baseName() {
        return OWNER + "-" + NAME + "-" + version();
    }

    static Path zip() {
        Path zip = Path.of(property("outflow.hub.archive")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("No archive at " + zip + ": build it with the reactor, e.g. "
                    + "`./mvnw -B -ntp verify -pl packaging-tests -am` (the distribution module makes it in package)");
        }
        return zip;
    }

    /** Unzips the archive into {@code dir}; returns the component directory {@code dir/<owner>-<name>-<version>}. */
    static Path unzipInto(Path dir) {
        try (ZipFile zip = new ZipFile(zip().toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IllegalStateException("Zip entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unzip " + zip(), e);
        }
        return dir.resolve(baseName());
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set: run these tests through Maven"
                    + " (packaging-tests/pom.xml sets it), or pass -D" + name + "=... from an IDE");
        }
        return value;
    }
}
