package dev.outflow.cli.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.cli.config.SyncConfig;
import dev.outflow.cli.state.JournalEntry;
import dev.outflow.cli.state.StateStore;
import dev.outflow.cli.state.TableState;
import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.storage.Storage;
import dev.outflow.sink.storage.Storages;
import dev.outflow.sink.task.ParquetSinkTask;
import dev.outflow.source.task.PostgresSourceTask;
import dev.outflow.source.task.SourceOffsets;

/**
 * Runs the source connector's task and the sink connector's tasks in this process, with no Kafka in between:
 * each source record becomes a sink record at a synthetic offset (topic = the table's topic, partition 0, a
 * counter per table kept in the state directory).
 *
 * <p><b>Exactly once.</b> Records are journaled (synthetic offset -> source offset, fsynced) before the sink gets
 * them. The sink publishes files and reports, through {@code preCommit}, the offset below which everything is
 * published; only then is the table's state (that offset and the source offset of the record just below it)
 * stored, atomically. A crash between the two is repaired at the next start: the sink's recovery says where its
 * files end, and the journal gives the source position right after that record. See docs/cli.md.
 *
 * <p>Use: {@code new SyncEngine(config, listener).run(once)}; {@link #stop()} from any thread ends it cleanly.
 */
public final class SyncEngine {
    private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

    private static final int PARTITION = 0;
    private static final long RETRY_BACKOFF_MS = 1_000;
    /** Consecutive transient failures a one-shot run tolerates before it gives up (continuous runs never do). */
    private static final int ONCE_MAX_RETRIES = 10;

    private final SyncConfig config;
    private final SyncListener listener;
    private volatile boolean stopping;
    private volatile PostgresSourceTask source;

    private SyncPlan plan;
    private StateStore state;
    private final Map<String, SinkUnit> sinkOfTopic = new HashMap<>();
    private final List<SinkUnit> sinks = new ArrayList<>();
    /** Per topic: the synthetic offset of the next record. */
    private final Map<String, Long> nextOffset = new HashMap<>();
    /** Per topic: the source offset of the last record handed to the sink (where a restarted source resumes). */
    private final Map<String, Map<String, Object>> lastPosition = new HashMap<>();
    private final Map<String, Long> rowsRead = new HashMap<>();
    private final Map<String, Long> startOffset = new HashMap<>();
    private final Map<String, Long> files = new HashMap<>();
    /** The stored position of each table when its files were last counted. */
    private final Map<String, Long> countedAt = new HashMap<>();

    public SyncEngine(SyncConfig config, SyncListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** One sink task and the tables it writes (one per distinct partitioning). */
    private record SinkUnit(ParquetSinkTask task, InProcessSinkContext context, Map<String, String> props) {
    }

    /**
     * Syncs: one pass when {@code once}, else pass after pass every poll interval until {@link #stop()}.
     *
     * @throws dev.outflow.cli.config.ConfigException for a configuration to fix
     * @throws DatabaseUnreachableException when the database cannot be reached at start
     * @throws OutputUnwritableException when the output cannot be written at start
     * @throws SyncFailedException when the sync fails while running
     */
    public void run(boolean once) {
        plan = Planner.plan(config);
        state = StateStore.open(config.stateDir());
        try {
            listener.planned(plan);
            startSinks();
            Map<String, Map<String, Object>> positions = recover();
            startSource(positions);
            loop(once);
            if (stopping) {
                log.info("Stopping: publishing what was read, storing the state");
            }
            publishAll("end of run");
            commit();
            listener.passCompleted(progress(true));
        } catch (RuntimeException e) {
            if (e instanceof SyncFailedException) {
                throw e;
            }
            throw new SyncFailedException("Sync failed: " + e.getMessage(), e);
        } finally {
            shutdown();
        }
    }

    /** Ends a running sync cleanly: what was read is published and its state stored. Safe from any thread. */
    public void stop() {
        stopping = true;
        PostgresSourceTask s = source;
        if (s != null) {
            s.stop(); // wakes a poll() waiting for the next pass
        }
    }

    private void loop(boolean once) {
        int failures = 0;
        while (!stopping) {
            List<SourceRecord> records;
            try {
                records = source.poll();
                failures = 0;
            } catch (RetriableException e) {
                if (stopping) {
                    break;
                }
                failures++;
                if (once && failures > ONCE_MAX_RETRIES) {
                    throw new SyncFailedException("Giving up after " + failures + " attempts: " + e.getMessage(), e);
                }
                log.warn("{}", e.getMessage());
                sleep(RETRY_BACKOFF_MS);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
                break;
            }
            if (records != null && !records.isEmpty() && !stopping) {
                deliver(records, once);
                commit();
                listener.progress(progress(false));
            }
            if (source.caughtUp() && !stopping) {
                publishAll("end of pass");
                commit();
                listener.passCompleted(progress(true));
                if (once) {
                    return;
                }
            }
        }
    }

    // ---- start and recovery ----

    private void startSinks() {
        Map<String, List<TablePlan>> byGroup = new LinkedHashMap<>();
        plan.tables().forEach(t -> byGroup.computeIfAbsent(t.sinkGroup(), g -> new ArrayList<>()).add(t));
        for (Map.Entry<String, List<TablePlan>> group : byGroup.entrySet()) {
            Map<String, String> props = plan.sinkPropsByGroup().get(group.getKey());
            Set<TopicPartition> tps = Set.copyOf(group.getValue().stream()
                    .map(t -> new TopicPartition(t.topic(), PARTITION)).toList());
            InProcessSinkContext context = new InProcessSinkContext(props, tps);
            ParquetSinkTask task = new ParquetSinkTask();
            task.initialize(context);
            task.start(props);
            SinkUnit unit = new SinkUnit(task, context, props);
            sinks.add(unit);
            group.getValue().forEach(t -> sinkOfTopic.put(t.topic(), unit));
            task.open(tps);
        }
    }

    /**
     * Decides where each table resumes, from its stored state, the sink's recovery (where its published files
     * end) and the journal. Returns the source offsets to start the source task from.
     */
    private Map<String, Map<String, Object>> recover() {
        Map<TopicPartition, Long> recovered = new HashMap<>();
        sinks.forEach(u -> recovered.putAll(u.context().takeRequestedOffsets()));
        boolean journalChanged = false;
        for (TablePlan t : plan.tables()) {
            TableState stored = state.get(t.topic());
            long committed = stored == null ? 0 : stored.nextOffset();
            Long sinkEnd = recovered.get(new TopicPartition(t.topic(), PARTITION));
            Resume resume = resumeAt(t, sinkEnd == null ? committed : sinkEnd);
            if (resume.nextOffset != committed || sinkEnd != null && resume.nextOffset != sinkEnd) {
                log.info("{}: files are published up to offset {} but the state says {}; resuming after the "
                        + "published ones", t.table(), resume.nextOffset, committed);
            }
            if (resume.nextOffset != committed) {
                state.put(t.table().qualifiedName(), t.topic(), resume.nextOffset, resume.position);
                state.journal().forgetBelow(t.topic(), resume.nextOffset);
                journalChanged = true;
            }
            state.journal().forgetFrom(t.topic(), resume.nextOffset);
            nextOffset.put(t.topic(), resume.nextOffset);
            startOffset.put(t.topic(), resume.nextOffset);
            lastPosition.put(t.topic(), resume.position);
        }
        if (journalChanged || state.journal().size() > 0) {
            state.journal().compact();
        }
        return lastPosition;
    }

    private record Resume(long nextOffset, Map<String, Object> position) {
    }

    /** Where a table resumes when the sink wants records from {@code offset} on. */
    private Resume resumeAt(TablePlan t, long offset) {
        TableState stored = state.get(t.topic());
        long committed = stored == null ? 0 : stored.nextOffset();
        Map<String, Object> watermark = stored == null ? null : stored.watermark();
        if (offset == committed) {
            return new Resume(committed, watermark);
        }
        var entry = state.journal().find(t.topic(), offset - 1);
        if (entry.isPresent()) {
            return new Resume(offset, entry.get().source());
        }
        if (offset > committed) {
            // The state directory was reset or lost while the files stayed: continue the offsets after the files
            // (so nothing is mistaken for published) and read from the stored watermark.
            log.warn("{}: files are published up to offset {}, which the state directory does not know (reset "
                    + "or lost); reading it from {} and numbering the new files after the existing ones",
                    t.table(), offset, watermark == null ? "the start" : "its stored watermark " + watermark);
            return new Resume(offset, watermark);
        }
        // Fewer files than the state says (deleted by hand): keep counting up, so names never collide.
        log.warn("{}: the output holds files up to offset {} only, but the state says {}; rows before the stored "
                + "watermark are not written again (reset-state --table to rewrite them)", t.table(), offset,
                committed);
        return new Resume(committed, watermark);
    }

    private void startSource(Map<String, Map<String, Object>> positions) {
        Map<Map<String, ?>, Map<String, Object>> byPartition = new HashMap<>();
        for (TablePlan t : plan.tables()) {
            Map<String, Object> position = positions.get(t.topic());
            if (position != null) {
                byPartition.put(SourceOffsets.partition(t.table()), position);
            }
        }
        PostgresSourceTask task = new PostgresSourceTask();
        task.initialize(new InProcessSourceContext(plan.sourceProps(), byPartition));
        task.start(plan.sourceProps());
        source = task;
        if (stopping) {
            task.stop();
        }
    }

    // ---- records ----

    private void deliver(List<SourceRecord> records, boolean once) {
        long now = System.currentTimeMillis();
        Map<SinkUnit, List<SinkRecord>> batches = new LinkedHashMap<>();
        List<JournalEntry> entries = new ArrayList<>(records.size());
        for (SourceRecord r : records) {
            String topic = r.topic();
            SinkUnit unit = sinkOfTopic.get(topic);
            if (unit == null) {
                throw new IllegalStateException("A record for topic " + topic + ", which no table of this run has");
            }
            long offset = nextOffset.merge(topic, 1L, Long::sum) - 1;
            @SuppressWarnings("unchecked")
            Map<String, Object> position = (Map<String, Object>) r.sourceOffset();
            entries.add(new JournalEntry(topic, offset, position));
            lastPosition.put(topic, position);
            rowsRead.merge(topic, 1L, Long::sum);
            batches.computeIfAbsent(unit, u -> new ArrayList<>()).add(new SinkRecord(topic, PARTITION,
                    r.keySchema(), r.key(), r.valueSchema(), r.value(), offset,
                    r.timestamp() != null ? r.timestamp() : now, TimestampType.CREATE_TIME));
        }
        state.journal().append(entries); // durable before the sink may publish any of them
        batches.forEach((unit, batch) -> put(unit, batch, once));
    }

    private void put(SinkUnit unit, List<SinkRecord> batch, boolean once) {
        for (int attempt = 1; ; attempt++) {
            try {
                unit.task().put(batch);
                break;
            } catch (RetriableException e) {
                if (once && attempt > ONCE_MAX_RETRIES) {
                    throw new SyncFailedException("Giving up after " + attempt + " attempts: " + e.getMessage(), e);
                }
                log.warn("{}; retrying in {} ms", e.getMessage(), RETRY_BACKOFF_MS);
                sleep(RETRY_BACKOFF_MS);
            }
        }
        rewindIfAsked(unit);
    }

    /**
     * The sink asks for records again from an offset when it had to drop unpublished files (a write failed):
     * the source is restarted from the source offset of the record just before, found in the journal.
     */
    private void rewindIfAsked(SinkUnit unit) {
        Map<TopicPartition, Long> asked = unit.context().takeRequestedOffsets();
        if (asked.isEmpty()) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> e : asked.entrySet()) {
            String topic = e.getKey().topic();
            TablePlan t = plan.tableOfTopic(topic);
            Resume resume = resumeAt(t, e.getValue());
            log.warn("{}: the sink dropped unpublished records from offset {}; reading them again", t.table(),
                    e.getValue());
            rowsRead.merge(topic, resume.nextOffset - nextOffset.get(topic), Long::sum);
            nextOffset.put(topic, resume.nextOffset);
            lastPosition.put(topic, resume.position);
            state.journal().forgetFrom(topic, resume.nextOffset);
        }
        source.stop();
        startSource(lastPosition);
    }

    /** Publishes every open file (records read so far land, whatever the rotation settings). */
    private void publishAll(String reason) {
        for (SinkUnit unit : sinks) {
            for (int attempt = 1; ; attempt++) {
                try {
                    unit.task().publishOpenFiles(reason);
                    break;
                } catch (RetriableException e) {
                    if (attempt > ONCE_MAX_RETRIES) {
                        throw new SyncFailedException("Publishing failed " + attempt + " times: " + e.getMessage(),
                                e);
                    }
                    log.warn("{}; retrying in {} ms", e.getMessage(), RETRY_BACKOFF_MS);
                    sleep(RETRY_BACKOFF_MS);
                }
            }
            rewindIfAsked(unit);
        }
    }

    /** Stores the state of every table whose published offset moved, then trims the journal. */
    private void commit() {
        boolean changed = false;
        for (SinkUnit unit : sinks) {
            Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
            unit.context().assignment().forEach(tp -> current.put(tp, new OffsetAndMetadata(nextOffset.get(
                    tp.topic()))));
            Map<TopicPartition, OffsetAndMetadata> committable = unit.task().preCommit(current);
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committable.entrySet()) {
                String topic = e.getKey().topic();
                long next = e.getValue().offset();
                TableState stored = state.get(topic);
                long storedNext = stored == null ? 0 : stored.nextOffset();
                if (next <= storedNext) {
                    continue;
                }
                JournalEntry last = state.journal().find(topic, next - 1).orElseThrow(() ->
                        new IllegalStateException("No journal entry for " + topic + "@" + (next - 1)));
                TablePlan t = plan.tableOfTopic(topic);
                listener.beforeStateStore(t.table().qualifiedName(), next);
                state.put(t.table().qualifiedName(), topic, next, last.source());
                state.journal().forgetBelow(topic, next);
                changed = true;
            }
        }
        if (changed) {
            state.journal().compact();
        }
    }

    // ---- progress ----

    private long storedOffset(TablePlan t) {
        TableState stored = state.get(t.topic());
        return stored == null ? 0 : stored.nextOffset();
    }

    private List<TableProgress> progress(boolean countFiles) {
        if (countFiles) {
            countFiles();
        }
        List<TableProgress> list = new ArrayList<>();
        for (TablePlan t : plan.tables()) {
            TableState stored = state.get(t.topic());
            long published = (stored == null ? 0 : stored.nextOffset()) - startOffset.getOrDefault(t.topic(), 0L);
            list.add(new TableProgress(t.table().qualifiedName(), t.topic(), rowsRead.getOrDefault(t.topic(), 0L),
                    Math.max(0, published), files.getOrDefault(t.topic(), 0L),
                    stored == null ? null : stored.watermark()));
        }
        return list;
    }

    /**
     * Counts each table's Parquet files in the output: a listing per table at the end of a pass, only for tables
     * whose stored position moved since they were last counted (a quiet table costs no listing, which matters on
     * S3 when a continuous sync passes every few seconds).
     */
    private void countFiles() {
        for (SinkUnit unit : sinks) {
            List<TablePlan> moved = plan.tables().stream()
                    .filter(t -> sinkOfTopic.get(t.topic()) == unit)
                    .filter(t -> !files.containsKey(t.topic()) || storedOffset(t) != countedAt.getOrDefault(t.topic(),
                            -1L))
                    .toList();
            if (moved.isEmpty()) {
                continue;
            }
            ParquetSinkConfig sinkConfig = new ParquetSinkConfig(unit.props());
            try (Storage storage = Storages.create(sinkConfig)) {
                for (TablePlan t : moved) {
                    long at = storedOffset(t);
                    String prefix = sinkConfig.fileNaming().tablePrefix(t.directory());
                    files.put(t.topic(), storage.list(prefix).stream().filter(k -> k.endsWith(".parquet")).count());
                    countedAt.put(t.topic(), at);
                }
            } catch (IOException | RuntimeException e) {
                log.debug("Cannot count the output files", e);
            }
        }
    }

    // ---- end ----

    private void shutdown() {
        PostgresSourceTask s = source;
        if (s != null) {
            s.stop();
        }
        for (SinkUnit unit : sinks) {
            try {
                unit.task().close(unit.context().assignment()); // drops unpublished files (none after a clean run)
                unit.task().stop();
            } catch (RuntimeException e) {
                log.warn("Stopping the sink: {}", e.getMessage());
            }
        }
        state.close();
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** The plan of the running sync (after {@link #run} started), for callers that show it. */
    public SyncPlan plan() {
        return plan;
    }
}
