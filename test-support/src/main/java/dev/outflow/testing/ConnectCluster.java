package dev.outflow.testing;

import io.apicurio.registry.utils.converter.AvroConverter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One KRaft broker and one Connect worker in this JVM (Kafka's own {@code EmbeddedConnectCluster}), with the
 * worker's key and value converters set to Apicurio's AvroConverter in Confluent wire framing against a real
 * {@link SchemaRegistryServer}. Starting costs seconds: share one per test class.

 */
public final class ConnectCluster extends ConnectRestClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectCluster.class);

    public static final String AVRO_CONVERTER = AvroConverter.class.getName();


    private final EmbeddedConnectCluster connect;
    private final SchemaRegistryServer registry;

    private ConnectCluster(EmbeddedConnectCluster connect, SchemaRegistryServer registry) {
        this.connect = connect;
        this.registry = registry;
    }

    public static ConnectCluster start(SchemaRegistryServer registry) {
        return start(registry, Map.of());
    }

    /** {@code extraWorkerProps} are applied last, so they can override any default below. */
    public static ConnectCluster start(SchemaRegistryServer registry, Map<String, String> extraWorkerProps) {
        return start(registry, extraWorkerProps, Map.of());
    }

    /** As {@link #start(SchemaRegistryServer, Map)}, with broker settings applied last too. */
    public static ConnectCluster start(SchemaRegistryServer registry, Map<String, String> extraWorkerProps,
            Map<String, String> extraBrokerProps) {
        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("key.converter", AVRO_CONVERTER);
        workerProps.put("value.converter", AVRO_CONVERTER);
        converterProps(registry).forEach((k, v) -> {
            workerProps.put("key.converter." + k, v);
            workerProps.put("value.converter." + k, v);
        });
        // Sink tasks commit (and our sink flushes files) on this cadence: the 60 s default would slow tests.
        workerProps.put("offset.flush.interval.ms", "1000");
        // Classpath plugins without a ServiceLoader manifest only warn instead of failing the worker.
        workerProps.put("plugin.discovery", "hybrid_warn");
        workerProps.putAll(extraWorkerProps);

        // One broker: the transaction log must fit on it, or exactly-once source workers cannot start.
        java.util.Properties brokerProps = new java.util.Properties();
        brokerProps.put("transaction.state.log.replication.factor", "1");
        brokerProps.put("transaction.state.log.min.isr", "1");
        brokerProps.putAll(extraBrokerProps);
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder()
                .name("outflow-connect")
                .numWorkers(1)
                .numBrokers(1)
                .brokerProps(brokerProps)
                .workerProps(workerProps)
                .build();
        long started = System.nanoTime();
        try {
            connect.start();
        } catch (RuntimeException e) {
            stopQuietly(connect);
            throw e;
        }
        ConnectCluster cluster = new ConnectCluster(connect, registry);
        log.info("Connect cluster started in {} ms: worker {}, Kafka {}",
                (System.nanoTime() - started) / 1_000_000, cluster.restUrl(), cluster.bootstrapServers());
        return cluster;
    }

    /**
     * The converter settings (without the {@code key.converter.}/{@code value.converter.} prefix) the worker uses:
     * auto-registration, no headers, and the magic byte plus 4-byte content id of Confluent's wire format.
     */
    public static Map<String, String> converterProps(SchemaRegistryServer registry) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("apicurio.registry.url", registry.url());
        props.put("apicurio.registry.auto-register", "true");
        props.put("apicurio.registry.headers.enabled", "false");
        props.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler");
        props.put("apicurio.registry.use-id", "contentId");
        return props;
    }

    /** A new AvroConverter configured exactly like the worker's, e.g. to produce test records for a sink. */
    public static Converter avroConverter(SchemaRegistryServer registry, boolean isKey) {
        AvroConverter converter = new AvroConverter();
        converter.configure(converterProps(registry), isKey);
        return converter;
    }

    /** {@link #avroConverter(SchemaRegistryServer, boolean)} against this cluster's registry. */
    public Converter avroConverter(boolean isKey) {
        return avroConverter(registry, isKey);
    }

    /** Raw access to Kafka's test cluster (its kafka() gives the broker). */
    public EmbeddedConnectCluster connect() {
        return connect;
    }

    public SchemaRegistryServer registry() {
        return registry;
    }

    public String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    /** The worker's REST base URL, ending in "/". */
    @Override
    public String restUrl() {
        return connect.endpointForResource("");
    }

    public void createTopic(String topic, int partitions) {
        connect.kafka().createTopic(topic, partitions);
    }

    /** Creates a topic with topic-level settings, e.g. {@code retention.ms}. */
    public void createTopic(String topic, int partitions, Map<String, String> topicConfig) {
        connect.kafka().createTopic(topic, partitions, 1, topicConfig);
    }

    /** At least {@code minRecords} records from the start of {@code topic}; fails if fewer arrive in time. */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int minRecords, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        connect.kafka().consume(minRecords, timeout.toMillis(), topic).forEach(records::add);
        return records;
    }

    private static void stopQuietly(EmbeddedConnectCluster connect) {
        try {
            connect.stop();
        } catch (RuntimeException e) {
            log.warn("Could not stop the Connect cluster cleanly", e);
        }
    }

    /** Stops the worker and the broker and deletes their temp directories. */
    @Override
    public void close() {
        stopQuietly(connect);
        log.info("Connect cluster stopped");
    }
}
