package dev.outflow.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;

import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.source.config.PostgresSourceConfig;
import dev.outflow.source.config.TableOverrides;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads an outflow YAML file into a {@link SyncConfig}. It works on SnakeYAML's node tree, not on plain maps, so
 * every error names the line: unknown keys (with the closest known key), values of the wrong kind, missing
 * required keys. Relative paths are resolved against the file's own directory, so a cron job works from any
 * working directory.
 */
public final class YamlConfigLoader {

    static final Set<String> TOP_KEYS = Set.of("postgres", "output", "tables", "schema", "exclude", "batch_size",
            "state_dir", "poll_interval", "flush_size", "source", "sink");
    static final Set<String> POSTGRES_KEYS = Set.of("host", "port", "database", "user", "password", "password_env",
            "url");
    static final Set<String> OUTPUT_KEYS = Set.of("type", "path", "bucket", "prefix", "region", "endpoint",
            "access_key_id", "secret_access_key", "secret_access_key_env");
    static final Set<String> TABLE_KEYS = Set.of("name", "incremental_column", "tiebreaker", "partition_by",
            "columns");

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final Path file;
    private final Function<String, String> env;
    private final Map<String, Integer> lines = new HashMap<>();

    private YamlConfigLoader(Path file, Function<String, String> env) {
        this.file = file;
        this.env = env;
    }

    public static SyncConfig load(Path file) {
        return load(file, System::getenv);
    }

    /** @param env where environment variables are read (tests pass their own) */
    public static SyncConfig load(Path file, Function<String, String> env) {
        return new YamlConfigLoader(file.toAbsolutePath().normalize(), env).read();
    }

    private SyncConfig read() {
        Node root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("Config file " + file + " does not exist; pass the YAML file with --config");
        } catch (IOException e) {
            throw new ConfigException("Cannot read config file " + file + ": " + e.getMessage(), e);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(file.getFileName() + " line " + (e.getProblemMark().getLine() + 1)
                    + ": not valid YAML: " + e.getProblem() + (e.getContext() == null ? "" : " " + e.getContext()),
                    e);
        } catch (YAMLException e) {
            throw new ConfigException(file.getFileName() + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            throw new ConfigException(file.getFileName() + " is empty; it needs at least postgres:, output: and "
                    + "tables: (or schema:). See docs/cli.md");
        }
        Map<String, Node> top = mapping(root, "", TOP_KEYS);
        SyncConfig.Postgres postgres = postgres(required(top, "postgres", root));
        SyncConfig.Output output = output(required(top, "output", root));
        String schema = top.containsKey("schema") ? scalar(top.get("schema"), "schema") : null;
        List<SyncConfig.TableSpec> tables = new ArrayList<>();
        if (top.containsKey("tables")) {
            List<Node> items = sequence(top.get("tables"), "tables");
            for (int i = 0; i < items.size(); i++) {
                tables.add(table(items.get(i), "tables[" + i + "]"));
            }
            if (tables.isEmpty()) {
                throw error(top.get("tables"), "tables", "lists no table; list some, or remove it and set schema: "
                        + "to sync every table of a schema");
            }
        } else if (schema == null) {
            throw error(root, "tables", "is missing: list the tables to sync under tables:, or set schema: (e.g. "
                    + "schema: public) to sync every table of a schema");
        }
        List<String> exclude = top.containsKey("exclude") ? stringList(top.get("exclude"), "exclude") : List.of();
        if (!exclude.isEmpty() && !tables.isEmpty()) {
            throw error(top.get("exclude"), "exclude", "only applies to discovery (schema: without tables:); "
                    + "remove the excluded tables from tables: instead");
        }
        Integer batchSize = top.containsKey("batch_size") ? positiveInt(top.get("batch_size"), "batch_size") : null;
        Integer flushSize = top.containsKey("flush_size") ? positiveInt(top.get("flush_size"), "flush_size") : null;
        Path stateDir = resolve(top.containsKey("state_dir") ? scalar(top.get("state_dir"), "state_dir")
                : ".outflow-state");
        Duration poll = top.containsKey("poll_interval") ? duration(top.get("poll_interval"), "poll_interval")
                : Duration.ofSeconds(5);
        Map<String, String> source = top.containsKey("source") ? rawKeys(top.get("source"), "source",
                PostgresSourceConfig.CONFIG_DEF.names(), TableOverrides.PREFIX) : Map.of();
        Map<String, String> sink = top.containsKey("sink") ? rawKeys(top.get("sink"), "sink",
                ParquetSinkConfig.CONFIG_DEF.names(), null) : Map.of();
        return new SyncConfig(file, postgres, output, List.copyOf(tables), schema, exclude, batchSize, stateDir,
                poll, flushSize, source, sink, Map.copyOf(lines));
    }

    private SyncConfig.Postgres postgres(Node node) {
        Map<String, Node> m = mapping(node, "postgres", POSTGRES_KEYS);
        String url = optional(m, "url", "postgres");
        String host = optional(m, "host", "postgres");
        String database = optional(m, "database", "postgres");
        if (url != null && (host != null || database != null || m.containsKey("port"))) {
            throw error(m.get("url"), "postgres.url", "is set together with host/port/database; use one or the "
                    + "other");
        }
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw error(m.get("url"), "postgres.url", "must be a JDBC URL starting with jdbc:postgresql://, e.g. "
                    + "jdbc:postgresql://db.example.com:5432/shop");
        }
        if (url == null && database == null) {
            throw error(node, "postgres.database", "is missing: name the database (and host, default localhost), "
                    + "or give url: jdbc:postgresql://host:port/database");
        }
        int port = m.containsKey("port") ? positiveInt(m.get("port"), "postgres.port") : 5432;
        String password = optional(m, "password", "postgres");
        String passwordEnv = optional(m, "password_env", "postgres");
        if (password != null && passwordEnv != null) {
            throw error(m.get("password_env"), "postgres.password_env", "is set together with password; use one");
        }
        if (passwordEnv != null) {
            password = env.apply(passwordEnv);
            if (password == null) {
                throw error(m.get("password_env"), "postgres.password_env", "names environment variable "
                        + passwordEnv + ", which is not set");
            }
        } else if (password == null) {
            password = env.apply("PGPASSWORD"); // what psql reads too
        }
        return new SyncConfig.Postgres(url, host == null ? "localhost" : host, port, database,
                optional(m, "user", "postgres"), password);
    }

    private SyncConfig.Output output(Node node) {
        Map<String, Node> m = mapping(node, "output", OUTPUT_KEYS);
        String type = m.containsKey("type") ? scalar(m.get("type"), "output.type").toLowerCase(Locale.ROOT)
                : "local";
        if (type.equals("local")) {
            for (String s3Only : List.of("bucket", "prefix", "region", "endpoint", "access_key_id",
                    "secret_access_key", "secret_access_key_env")) {
                if (m.containsKey(s3Only)) {
                    throw error(m.get(s3Only), "output." + s3Only, "is for type: s3, but output.type is local");
                }
            }
            String path = optional(m, "path", "output");
            if (path == null) {
                throw error(node, "output.path", "is missing: the directory to write Parquet files under");
            }
            return new SyncConfig.Output("local", resolve(path), null, null, null, null, null, null);
        }
        if (!type.equals("s3")) {
            throw error(m.get("type"), "output.type", "is \"" + type + "\"; it must be local or s3");
        }
        if (m.containsKey("path")) {
            throw error(m.get("path"), "output.path", "is for type: local; for s3 use bucket: and prefix:");
        }
        String bucket = optional(m, "bucket", "output");
        if (bucket == null) {
            throw error(node, "output.bucket", "is missing: the S3 bucket to write to");
        }
        String secret = optional(m, "secret_access_key", "output");
        String secretEnv = optional(m, "secret_access_key_env", "output");
        if (secretEnv != null) {
            secret = env.apply(secretEnv);
            if (secret == null) {
                throw error(m.get("secret_access_key_env"), "output.secret_access_key_env", "names environment "
                        + "variable " + secretEnv + ", which is not set");
            }
        }
        String prefix = optional(m, "prefix", "output");
        return new SyncConfig.Output("s3", null, bucket, prefix == null ? "" : prefix,
                optional(m, "region", "output"), optional(m, "endpoint", "output"),
                optional(m, "access_key_id", "output"), secret);
    }

    private SyncConfig.TableSpec table(Node node, String path) {
        if (node instanceof ScalarNode s) { // "- orders" is short for "- name: orders"
            lines.put(path + ".name", line(node));
            return new SyncConfig.TableSpec(nonEmpty(s, path), null, null, null, List.of(), path);
        }
        Map<String, Node> m = mapping(node, path, TABLE_KEYS);
        String name = optional(m, "name", path);
        if (name == null) {
            throw error(node, path + ".name", "is missing: each entry of tables: needs the table's name");
        }
        SyncConfig.PartitionBy partitionBy = null;
        if (m.containsKey("partition_by")) {
            String value = scalar(m.get("partition_by"), path + ".partition_by");
            try {
                partitionBy = SyncConfig.PartitionBy.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(m.get("partition_by"), path + ".partition_by", "is \"" + value + "\"; it must be one "
                        + "of date, month, year, hour");
            }
        }
        List<String> columns = m.containsKey("columns") ? stringList(m.get("columns"), path + ".columns")
                : List.of();
        return new SyncConfig.TableSpec(name, optional(m, "incremental_column", path),
                optional(m, "tiebreaker", path), partitionBy, columns, path);
    }

    /**
     * A map of raw connector keys: scalars (or lists, joined with commas), kept as their text. Keys the connector
     * does not define are errors here, where their line is known (Kafka's config classes would ignore them).
     */
    private Map<String, String> rawKeys(Node node, String path, Set<String> known, String freePrefix) {
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, Node> entries = mapping(node, path, null);
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            String key = e.getKey();
            if (!known.contains(key) && (freePrefix == null || !key.startsWith(freePrefix))) {
                Node keyNode = ((MappingNode) node).getValue().stream().map(NodeTuple::getKeyNode)
                        .filter(k -> ((ScalarNode) k).getValue().equals(key)).findFirst().orElse(node);
                throw error(keyNode, path + "." + key, "is not a key of the " + (path.equals("source")
                        ? "source" : "sink") + " connector" + KeySuggestions.closest(key, known)
                                .map(k -> "; did you mean " + k + "?").orElse("") + " (see docs/"
                        + (path.equals("source") ? "source" : "sink") + ".md)");
            }
        }
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            keys.put(e.getKey(), e.getValue() instanceof SequenceNode seq
                    ? String.join(",", stringList(seq, path + "." + e.getKey()))
                    : scalar(e.getValue(), path + "." + e.getKey()));
        }
        return keys;
    }

    // ---- node helpers: each records the line of the key it reads, and fails naming it ----

    /** The entries of a mapping; with {@code known} non-null, an unknown key is an error with a suggestion. */
    private Map<String, Node> mapping(Node node, String path, Set<String> known) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, path.isEmpty() ? "(top level)" : path, "must be a mapping of keys to values");
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                throw error(t.getKeyNode(), path, "has a key that is not a plain name");
            }
            String key = keyNode.getValue();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            if (known != null && !known.contains(key)) {
                String hint = KeySuggestions.closest(key, known).map(k -> "; did you mean " + k + "?")
                        .orElse("; known keys here: " + String.join(", ", known.stream().sorted().toList()));
                throw error(keyNode, keyPath, "is not a known key" + hint);
            }
            if (entries.put(key, t.getValueNode()) != null) {
                throw error(keyNode, keyPath, "is given twice");
            }
            lines.put(keyPath, line(keyNode));
        }
        return entries;
    }

    private Node required(Map<String, Node> m, String key, Node parent) {
        Node n = m.get(key);
        if (n == null) {
            throw error(parent, key, "is missing" + switch (key) {
                case "postgres" -> ": say where the database is (host, port, database, user, password, or url)";
                case "output" -> ": say where files go (type: local with path:, or type: s3 with bucket:)";
                default -> "";
            });
        }
        return n;
    }

    private String optional(Map<String, Node> m, String key, String path) {
        Node n = m.get(key);
        return n == null ? null : scalar(n, path + "." + key);
    }

    private String scalar(Node node, String path) {
        if (!(node instanceof ScalarNode s)) {
            throw error(node, path, "must be a single value, not a list or mapping");
        }
        return nonEmpty(s, path);
    }

    private String nonEmpty(ScalarNode s, String path) {
        String value = s.getValue().trim();
        if (value.isEmpty() || value.equals("~") || value.equals("null")) {
            throw error(s, path, "is empty");
        }
        return value;
    }

    private List<Node> sequence(Node node, String path) {
        if (!(node instanceof SequenceNode seq)) {
            throw error(node, path, "must be a list (lines starting with \"- \")");
        }
        return seq.getValue();
    }

    /** A list of names, also accepted as one comma-separated value. */
    private List<String> stringList(Node node, String path) {
        if (node instanceof ScalarNode s) {
            return List.of(nonEmpty(s, path).split("\\s*,\\s*"));
        }
        List<String> values = new ArrayList<>();
        List<Node> items = sequence(node, path);
        for (int i = 0; i < items.size(); i++) {
            values.add(scalar(items.get(i), path + "[" + i + "]"));
        }
        return List.copyOf(values);
    }

    private int positiveInt(Node node, String path) {
        String value = scalar(node, path);
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(node, path, "is \"" + value + "\"; it must be a positive whole number");
    }

    private Duration duration(Node node, String path) {
        String value = scalar(node, path);
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw error(node, path, "is \"" + value + "\"; write a duration like 500ms, 5s, 2m or 1h (a bare "
                    + "number is seconds)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) {
            throw error(node, path, "must be more than zero");
        }
        return d;
    }

    private Path resolve(String path) {
        Path p = Path.of(path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path);
        return (p.isAbsolute() ? p : file.getParent().resolve(p)).normalize();
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private ConfigException error(Node node, String path, String problem) {
        return new ConfigException(file.getFileName() + " line " + line(node) + ": " + path + " " + problem);
    }
}
