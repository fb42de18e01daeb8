package dev.outflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An example connector config from the repo's {@code config/} directory, in the JSON body shape Connect's REST
 * API takes ({@code {"name": "...", "config": {...}}}). Tests load the real files, override what only a test
 * knows (ports, passwords, directories) with {@link #with}, and so keep the shipped examples working.
 */
public final class ExampleConfig {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Map<String, String> config;

    private ExampleConfig(String name, Map<String, String> config) {
        this.name = name;
        this.config = config;
    }

    /** Loads {@code <repo root>/config/<fileName>}. */
    public static ExampleConfig load(String fileName) {
        return load(repoRoot().resolve("config").resolve(fileName));
    }

    /** Loads a config file from anywhere. */
    public static ExampleConfig load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read connector config " + file, e);
        }
        if (root == null || !root.path("name").isTextual() || !root.path("config").isObject()) {
            throw new IllegalArgumentException(file + " is not a Connect REST body"
                    + " ({\"name\": \"...\", \"config\": {...}})");
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("config").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isContainerNode()) {
                throw new IllegalArgumentException(file + ": config value of " + field.getKey()
                        + " must be a string, not " + value);
            }
            // Connect takes only strings; tolerate JSON numbers and booleans the way Connect's REST API does.
            config.put(field.getKey(), value.isNull() ? null : value.asText());
        }
        return new ExampleConfig(root.get("name").asText(), config);
    }

    /**
     * The repository root: the nearest directory, from the working directory upwards, holding both
     * {@code mvnw} and {@code config/}. (Maven runs each module's tests in that module's directory.)
     */
    public static Path repoRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("config"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No directory with both mvnw and config/ at or above " + start);
    }

    public String name() {
        return name;
    }

    /** A mutable copy of the config, in file order (overrides from {@link #with} included). */
    public Map<String, String> config() {
        return new LinkedHashMap<>(config);
    }

    /** Overrides (or adds) one key; returns this, for chaining. */
    public ExampleConfig with(String key, String value) {
        config.put(key, value);
        return this;
    }
}
