package dev.outflow.packaging;

import dev.outflow.testing.ExampleConfig;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * docker-compose.yml and the connector configs of config/, parsed, and the checks that they agree with each other
 * and with the archive the build produces. Docker cannot run where our tests run, so this is what keeps the stack
 * honest: every {@code host:port} named anywhere is a service exposing that port, every mount source exists, the
 * archive that is unzipped is the one the build makes and lands on the worker's plugin.path, and the database,
 * bucket, credentials and topics the configs name are the ones the stack creates.
 *
 * <p>The model is plain mutable maps, so tests can break one thing and see the check name it.
 */
final class ComposeStack {

    /** {@code host:port} after a scheme's "//", an "@", a separator or the start; the host starts with a letter. */
    private static final Pattern HOST_PORT = Pattern.compile("(?:^|//|@|[\\s,=])([A-Za-z][A-Za-z0-9_.-]*):(\\d{2,5})\\b");
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)",
            Pattern.CASE_INSENSITIVE);
    /** Where the build leaves the archive; the only mount source that need not exist before a build. */
    static final String BUILD_OUTPUT = "./distribution/target";

    final Map<String, Object> compose;
    /** File name (e.g. "sink-s3.json") -> connector config. */
    final Map<String, Map<String, String>> configs;
    final Path repo;
    final String archiveFileName;

    private ComposeStack(Map<String, Object> compose, Map<String, Map<String, String>> configs, Path repo,
                         String archiveFileName) {
        this.compose = compose;
        this.configs = configs;
        this.repo = repo;
        this.archiveFileName = archiveFileName;
    }

    /** docker-compose.yml and config/*.json of the repository at {@code repo}. */
    static ComposeStack load(Path repo, String archiveFileName) {
        Map<String, Object> compose;
        try {
            compose = new Yaml().load(Files.readString(repo.resolve("docker-compose.yml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, String>> configs = new TreeMap<>();
        try (Stream<Path> files = Files.list(repo.resolve("config"))) {
            files.filter(p -> p.toString().endsWith(".json"))
                    .forEach(p -> configs.put(p.getFileName().toString(), ExampleConfig.load(p).config()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ComposeStack(compose, configs, repo, archiveFileName);
    }

    // ---- model access -----------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    Map<String, Object> service(String name) {
        return services().get(name);
    }

    /** The environment as a map (compose also allows a list of KEY=VALUE). */
    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            for (Object item : list) {
                String[] kv = String.valueOf(item).split("=", 2);
                result.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return result;
    }

    /** Names of the services this one depends on (list or map form). */
    static Map<String, String> dependsOn(Map<String, Object> service) {
        Map<String, String> result = new LinkedHashMap<>();
        Object deps = service.get("depends_on");
        if (deps instanceof List<?> list) {
            list.forEach(d -> result.put(String.valueOf(d), "service_started"));
        } else if (deps instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k),
                    v instanceof Map<?, ?> m && m.get("condition") != null ? String.valueOf(m.get("condition"))
                            : "service_started"));
        }
        return result;
    }

    /** Short-syntax volume entries as (source, target). */
    static List<String[]> volumes(Map<String, Object> service) {
        List<String[]> result = new ArrayList<>();
        if (service.get("volumes") instanceof List<?> list) {
            for (Object v : list) {
                String[] parts = String.valueOf(v).split(":");
                result.add(new String[] {parts[0], parts.length > 1 ? parts[1] : parts[0]});
            }
        }
        return result;
    }

    /** Container ports the service is reachable on from other services, as declared by expose and ports. */
    static Set<Integer> containerPorts(Map<String, Object> service) {
        Set<Integer> ports = new LinkedHashSet<>();
        for (String key : List.of("expose", "ports")) {
            if (service.get(key) instanceof List<?> list) {
                for (Object p : list) {
                    String[] parts = String.valueOf(p).split(":");
                    ports.add(Integer.parseInt(parts[parts.length - 1].replaceAll("/.*", "").trim()));
                }
            }
        }
        return ports;
    }

    /** command, entrypoint and healthcheck as one string (each may be a string or a list). */
    static String commandText(Map<String, Object> service) {
        StringBuilder text = new StringBuilder();
        for (Object part : new Object[] {service.get("entrypoint"), service.get("command"),
                service.get("healthcheck") instanceof Map<?, ?> h ? h.get("test") : null}) {
            if (part instanceof List<?> list) {
                list.forEach(item -> text.append(item).append(' '));
            } else if (part != null) {
                text.append(part).append(' ');
            }
        }
        return text.toString();
    }

    /** The Connect worker: the service that sets CONNECT_PLUGIN_PATH. */
    String connectService() {
        return services().entrySet().stream()
                .filter(e -> environment(e.getValue()).containsKey("CONNECT_PLUGIN_PATH"))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    // ---- checks -----------------------------------------------------------------------------------------------

    /** Every disagreement found, each naming the file and the thing; empty when the stack is consistent. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (services() == null || services().isEmpty()) {
            return List.of("docker-compose.yml has no services");
        }
        checkDependencies(problems);
        checkVolumes(problems);
        checkHostPorts(problems);
        checkPluginInstall(problems);
        checkWorker(problems);
        checkSource(problems);
        checkS3Sink(problems);
        checkLocalSink(problems);
        return problems;
    }

    private void checkDependencies(List<String> problems) {
        services().forEach((name, service) -> dependsOn(service).forEach((dep, condition) -> {
            Map<String, Object> target = service(dep);
            if (target == null) {
                problems.add("service " + name + " depends_on " + dep + ", which is not a service");
            } else if (condition.equals("service_healthy") && target.get("healthcheck") == null) {
                problems.add("service " + name + " waits for " + dep + " to be healthy, but it has no healthcheck");
            }
        }));
    }

    @SuppressWarnings("unchecked")
    private void checkVolumes(List<String> problems) {
        Map<String, Object> declared = compose.get("volumes") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();
        services().forEach((name, service) -> {
            for (String[] volume : volumes(service)) {
                String source = volume[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    if (source.equals(BUILD_OUTPUT)) {
                        continue; // checked with the archive in checkPluginInstall
                    }
                    if (source.startsWith("/") || !Files.exists(repo.resolve(source).normalize())) {
                        problems.add("service " + name + " mounts " + source + ", which is not a path in the repository");
                    }
                } else if (!declared.containsKey(source)) {
                    problems.add("service " + name + " mounts volume " + source
                            + ", which the top-level volumes: does not declare");
                }
            }
        });
    }

    private void checkHostPorts(List<String> problems) {
        services().forEach((name, service) -> {
            StringBuilder text = new StringBuilder(commandText(service));
            environment(service).values().forEach(v -> text.append(' ').append(v));
            checkHostPorts("docker-compose.yml service " + name, text.toString(), problems);
        });
        configs.forEach((file, config) -> config.forEach((key, value) -> {
            if (value != null) {
                checkHostPorts("config/" + file + " " + key, value, problems);
            }
        }));
    }

    private void checkHostPorts(String where, String text, List<String> problems) {
        Matcher m = HOST_PORT.matcher(text);
        while (m.find()) {
            String host = m.group(1);
            int port = Integer.parseInt(m.group(2));
            if (host.equals("localhost")) {
                continue;
            }
            Map<String, Object> target = service(host);
            if (target == null) {
                problems.add(where + " names " + host + ":" + port + ", but " + host + " is not a service");
            } else if (!containerPorts(target).contains(port)) {
                problems.add(where + " names " + host + ":" + port + ", but service " + host
                        + " does not expose port " + port + " (expose: or ports:)");
            }
        }
    }

    /** The archive unzipped is the one the build makes, and it lands in a directory on the worker's plugin.path. */
    private void checkPluginInstall(List<String> problems) {
        String installer = null;
        String distMount = null;
        for (Map.Entry<String, Map<String, Object>> e : services().entrySet()) {
            for (String[] volume : volumes(e.getValue())) {
                if (volume[0].equals(BUILD_OUTPUT)) {
                    installer = e.getKey();
                    distMount = volume[1];
                }
            }
        }
        if (installer == null) {
            problems.add("no service mounts the build output " + BUILD_OUTPUT + " to install the plugin");
            return;
        }
        String command = commandText(service(installer));
        // Absolute paths of .zip files in the command (not the file name quoted in its error message).
        Matcher zips = Pattern.compile("(?:^|\\s)(/[^\\s'\"]+\\.zip)").matcher(command);
        boolean any = false;
        while (zips.find()) {
            any = true;
            String zip = zips.group(1);
            if (!zip.equals(distMount + "/" + archiveFileName)) {
                problems.add("service " + installer + " uses " + zip + ", but the build makes " + BUILD_OUTPUT + "/"
                        + archiveFileName + " (mounted at " + distMount + ")");
            }
        }
        if (!any) {
            problems.add("service " + installer + " mounts " + BUILD_OUTPUT + " but unzips no archive");
        }
        Matcher unzipTo = Pattern.compile("unzip\\b[^;&|]*?-d\\s+(\\S+)").matcher(command);
        if (!unzipTo.find()) {
            problems.add("service " + installer + " does not unzip the archive into a directory (unzip ... -d DIR)");
            return;
        }
        String dir = unzipTo.group(1);
        String volume = volumes(service(installer)).stream().filter(v -> v[1].equals(dir)).map(v -> v[0])
                .findFirst().orElse(null);
        if (volume == null) {
            problems.add("service " + installer + " unzips into " + dir + ", which is not a volume it mounts");
            return;
        }
        String connect = connectService();
        if (connect == null) {
            problems.add("no service sets CONNECT_PLUGIN_PATH (the Connect worker)");
            return;
        }
        List<String> pluginPath = Arrays.stream(environment(service(connect)).get("CONNECT_PLUGIN_PATH").split(","))
                .map(String::trim).toList();
        String mountedAt = volumes(service(connect)).stream().filter(v -> v[0].equals(volume)).map(v -> v[1])
                .findFirst().orElse(null);
        if (mountedAt == null) {
            problems.add("service " + connect + " does not mount volume " + volume + " that " + installer
                    + " unzips the plugin into");
        } else if (!pluginPath.contains(mountedAt)) {
            problems.add("service " + connect + " mounts the plugin volume " + volume + " at " + mountedAt
                    + ", which is not on CONNECT_PLUGIN_PATH " + pluginPath);
        }
        if (!dependsOn(service(connect)).containsKey(installer)) {
            problems.add("service " + connect + " does not wait for " + installer + " (depends_on)");
        }
    }

    /** Bootstrap servers are the broker's advertised listener; both converters use the schema registry. */
    private void checkWorker(List<String> problems) {
        String connect = connectService();
        if (connect == null) {
            return;
        }
        Map<String, String> env = environment(service(connect));
        String bootstrap = env.getOrDefault("CONNECT_BOOTSTRAP_SERVERS", "");
        boolean advertised = services().values().stream().map(ComposeStack::environment)
                .map(e -> e.getOrDefault("KAFKA_ADVERTISED_LISTENERS", ""))
                .anyMatch(listeners -> !bootstrap.isEmpty() && listeners.contains("//" + bootstrap));
        if (!advertised) {
            problems.add("CONNECT_BOOTSTRAP_SERVERS " + bootstrap + " is not a broker's KAFKA_ADVERTISED_LISTENERS");
        }
        for (String side : List.of("KEY", "VALUE")) {
            String url = env.get("CONNECT_" + side + "_CONVERTER_SCHEMA_REGISTRY_URL");
            if (env.get("CONNECT_" + side + "_CONVERTER") == null || url == null) {
                problems.add("service " + connect + " sets no " + side.toLowerCase()
                        + " converter with a schema registry URL: the sink needs schemas");
                continue;
            }
            Map<String, Object> registry = service(URI.create(url).getHost());
            if (registry == null || environment(registry).keySet().stream().noneMatch(k -> k.startsWith("SCHEMA_REGISTRY"))) {
                problems.add("CONNECT_" + side + "_CONVERTER_SCHEMA_REGISTRY_URL " + url
                        + " does not point to the schema registry service");
            }
        }
    }

    /** Database, user, password and table of the source exist in the stack; its topics reach every sink. */
    private void checkSource(List<String> problems) {
        Map<String, String> source = configs.get("source-postgres.json");
        if (source == null) {
            problems.add("config/source-postgres.json is missing");
            return;
        }
        URI url = URI.create(source.get("connection.url").substring("jdbc:".length()));
        Map<String, Object> postgres = service(url.getHost());
        if (postgres == null) {
            return; // reported by checkHostPorts
        }
        Map<String, String> env = environment(postgres);
        expectEqual("connection.url database", url.getPath().substring(1), "POSTGRES_DB", env, problems);
        expectEqual("connection.user", source.get("connection.user"), "POSTGRES_USER", env, problems);
        expectEqual("connection.password", source.get("connection.password"), "POSTGRES_PASSWORD", env, problems);

        List<String> tables = new ArrayList<>();
        for (String[] volume : volumes(postgres)) {
            if (volume[1].startsWith("/docker-entrypoint-initdb.d") && volume[0].endsWith(".sql")) {
                Path sql = repo.resolve(volume[0]).normalize();
                if (Files.isRegularFile(sql)) {
                    Matcher m = CREATE_TABLE.matcher(readString(sql));
                    while (m.find()) {
                        tables.add(m.group(1) + "." + m.group(2));
                    }
                }
            }
        }
        List<String> synced = new ArrayList<>();
        for (String pattern : source.get("table.include.list").split(",")) {
            List<String> matching = tables.stream().filter(t -> t.matches(pattern.trim())).toList();
            if (matching.isEmpty()) {
                problems.add("table.include.list pattern " + pattern + " of config/source-postgres.json matches no"
                        + " table the postgres init SQL creates " + tables);
            }
            synced.addAll(matching);
        }
        String prefix = source.getOrDefault("topic.prefix", "");
        configs.forEach((file, config) -> {
            if (!file.startsWith("sink-")) {
                return;
            }
            for (String table : synced) {
                String topic = prefix + table;
                String regex = config.get("topics.regex");
                String topics = config.get("topics");
                boolean read = (regex != null && topic.matches(regex))
                        || (topics != null && Arrays.asList(topics.split("\\s*,\\s*")).contains(topic));
                if (!read) {
                    problems.add("config/" + file + " does not read topic " + topic + " that the source writes"
                            + " (topics.regex " + regex + ", topics " + topics + ")");
                }
            }
        });
    }

    /** The bucket exists (the init container creates it) and the credentials are the store's. */
    private void checkS3Sink(List<String> problems) {
        Map<String, String> sink = configs.get("sink-s3.json");
        if (sink == null) {
            problems.add("config/sink-s3.json is missing");
            return;
        }
        String storeUrl = sink.get("store.url");
        Map<String, Object> store = storeUrl == null ? null : service(URI.create(storeUrl).getHost());
        if (store == null) {
            problems.add("config/sink-s3.json store.url " + storeUrl + " is not a service of the stack");
            return;
        }
        Map<String, String> env = environment(store);
        expectEqual("aws.access.key.id", sink.get("aws.access.key.id"), "MINIO_ROOT_USER", env, problems);
        expectEqual("aws.secret.access.key", sink.get("aws.secret.access.key"), "MINIO_ROOT_PASSWORD", env, problems);
        String bucket = sink.get("s3.bucket.name");
        boolean created = services().values().stream().map(ComposeStack::commandText)
                .anyMatch(c -> Pattern.compile("mc mb\\b[^;&|]*/" + Pattern.quote(bucket) + "(\\s|$)").matcher(c).find());
        if (!created) {
            problems.add("no service creates the bucket " + bucket + " of config/sink-s3.json (mc mb .../" + bucket + ")");
        }
    }

    /** local.dir is a volume of the worker, so the files outlive the container and can be read. */
    private void checkLocalSink(List<String> problems) {
        Map<String, String> sink = configs.get("sink-local.json");
        String connect = connectService();
        if (sink == null || connect == null) {
            return;
        }
        String dir = sink.get("local.dir");
        if (volumes(service(connect)).stream().noneMatch(v -> v[1].equals(dir))) {
            problems.add("config/sink-local.json local.dir " + dir + " is not a volume mounted in service " + connect);
        }
    }

    private static void expectEqual(String what, String value, String envKey, Map<String, String> env,
                                    List<String> problems) {
        if (!String.valueOf(value).equals(env.get(envKey))) {
            problems.add(what + " is " + value + " in config/, but the service's " + envKey + " is " + env.get(envKey));
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
