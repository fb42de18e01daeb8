package dev.outflow.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.partition.Partitioners;
import dev.outflow.sink.storage.s3.S3Check;
import dev.outflow.sink.storage.s3.S3Settings;
import dev.outflow.sink.task.ParquetSinkTask;

/**
 * Kafka Connect sink connector writing Snappy Parquet files, exactly once, partitioned Hive-style. Every task
 * gets the same configuration; Kafka's consumer group spreads the topic-partitions over them.
 */
public class ParquetSinkConnector extends SinkConnector {
    private static final Logger log = LoggerFactory.getLogger(ParquetSinkConnector.class);

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ConfigDef config() {
        return ParquetSinkConfig.CONFIG_DEF;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ParquetSinkTask.class;
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        ParquetSinkConfig config = new ParquetSinkConfig(props);
        if (ParquetSinkConfig.STORAGE_S3.equals(config.storageType())) {
            S3Settings s3 = S3Settings.from(config); // a ConfigException names the key to fix
            log.info("Sink connector started, writing to {}", s3.location());
            return;
        }
        String error = checkWritable(config.localDir());
        if (error != null) {
            throw new ConfigException(ParquetSinkConfig.LOCAL_DIR, config.localDir(), error);
        }
        log.info("Sink connector started, writing under {}", config.localDir());
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {
        log.info("Sink connector stopped");
    }

    /**
     * Beyond each key's own checks: local.dir must be given for local storage and be writable; for S3 the settings
     * must be complete and the store must accept them (see {@link S3Check}).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        ConfigValue localDir = result.configValues().stream()
                .filter(v -> v.name().equals(ParquetSinkConfig.LOCAL_DIR)).findFirst().orElseThrow();
        ConfigValue storageType = result.configValues().stream()
                .filter(v -> v.name().equals(ParquetSinkConfig.STORAGE_TYPE)).findFirst().orElseThrow();
        if (ParquetSinkConfig.STORAGE_LOCAL.equals(storageType.value()) && localDir.errorMessages().isEmpty()) {
            String error = checkWritable((String) localDir.value());
            if (error != null) {
                localDir.addErrorMessage(error);
            }
        }
        if (ParquetSinkConfig.STORAGE_S3.equals(storageType.value())) {
            validateS3(result);
        }
        if (result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty())) {
            try {
                Partitioners.create(new ParquetSinkConfig(connectorConfigs));
            } catch (ConfigException e) {
                result.configValues().stream().filter(v -> v.name().equals(ParquetSinkConfig.PARTITION_FIELD_NAME))
                        .findFirst().orElseThrow().addErrorMessage(e.getMessage());
            }
        }
        return result;
    }

    /** Only once every S3 key is well-formed on its own does it make sense to ask the store. */
    private static void validateS3(Config result) {
        Map<String, ConfigValue> values = new HashMap<>();
        result.configValues().forEach(v -> values.put(v.name(), v));
        boolean wellFormed = values.values().stream()
                .filter(v -> ParquetSinkConfig.CONFIG_DEF.configKeys().get(v.name()) != null
                        && ParquetSinkConfig.GROUP_S3.equals(ParquetSinkConfig.CONFIG_DEF.configKeys().get(v.name()).group)
                        || v.name().equals(ParquetSinkConfig.TOPICS_DIR))
                .allMatch(v -> v.errorMessages().isEmpty());
        if (!wellFormed) {
            return;
        }
        Map<String, Object> parsed = new HashMap<>();
        values.forEach((name, v) -> parsed.put(name, v.value()));
        S3Settings settings;
        try {
            settings = S3Settings.fromParsed(parsed);
        } catch (S3Settings.BadSetting e) {
            values.get(e.key()).addErrorMessage(e.getMessage());
            return;
        }
        S3Check.problems(settings, (String) parsed.get(ParquetSinkConfig.TOPICS_DIR))
                .forEach((key, problem) -> values.get(key).addErrorMessage(problem));
    }

    static String checkWritable(String dir) {
        if (dir == null || dir.isBlank()) {
            return "local.dir is required when storage.type=local: name a directory the worker can write";
        }
        Path path = Path.of(dir);
        try {
            Files.createDirectories(path);
            Path probe = Files.createTempFile(path, ".outflow-probe", ".tmp");
            Files.delete(probe);
            return null;
        } catch (IOException | SecurityException e) {
            return "Cannot write to " + path.toAbsolutePath() + " (" + e + "); create it and give the Connect "
                    + "worker's user write access, or choose another local.dir";
        }
    }
}
