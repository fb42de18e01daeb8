package dev.outflow.source.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.source.catalog.Catalog;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.catalog.TableId;
import dev.outflow.source.config.InitialPosition;
import dev.outflow.source.config.Mode;
import dev.outflow.source.config.PostgresSourceConfig;
import dev.outflow.source.config.TableSettings.StartPosition;
import dev.outflow.source.config.TableSettings;
import dev.outflow.source.query.ColumnSelection;
import dev.outflow.source.query.Identifiers;
import dev.outflow.source.query.KeyColumn;
import dev.outflow.source.query.KeysetQuery;
import dev.outflow.source.query.PlanException;
import dev.outflow.source.query.ReadHorizon;
import dev.outflow.source.query.ReadPlan;
import dev.outflow.source.query.ReadPlans;
import dev.outflow.source.types.AvroNames;
import dev.outflow.source.types.RowMapper;
import dev.outflow.source.types.TypeOptions;

/**
 * Reads one table page by page and remembers where it is. The position it keeps is exactly the offset attached to
 * the last record it returned, so a restart resumes right after that row, even inside a run of rows sharing one
 * timestamp.
 */
final class TableReader {
    private static final Logger log = LoggerFactory.getLogger(TableReader.class);

    private final TableId table;
    private final TableSettings settings;
    private final ReadOptions options;
    private final Map<String, String> sourcePartition;
    // The offset of the last row emitted (or the stored one), and its key as bind texts; null: from the start.
    private Map<String, ?> lastOffset;
    private List<String> position;
    private final TypeOptions typeOptions;
    private long nextPollAtMs;

    // Built from the catalog on first use, and again whenever the table's definition changes.
    private String fingerprint;
    private ReadPlan plan;
    private RowMapper mapper;
    private KeysetQuery query;
    private ReadHorizon horizon;
    private boolean missingLogged;
    // The initial position, resolved once before the first page of a table without a stored offset: for the
    // timestamp modes, the first timestamp to read (text in the column's type), else null.
    private boolean startResolved;
    private String startAt;
    private Integer warnedPid;
    private boolean visibilityChecked;

    TableReader(TableId table, TableSettings settings, ReadOptions options, Map<String, ?> storedOffset,
            TypeOptions typeOptions) {
        this.typeOptions = typeOptions;
        this.table = table;
        this.settings = settings;
        this.options = options;
        this.sourcePartition = SourceOffsets.partition(table);
        this.lastOffset = storedOffset;
    }

    TableId table() {
        return table;
    }

    long nextPollAtMs() {
        return nextPollAtMs;
    }

    /** Forget the table's definition, so the next poll reads it from the catalog again. */
    void invalidateDefinition() {
        fingerprint = null;
    }

    /**
     * Reads one page in its own read-only transaction. A short page means the table is drained for now, so the
     * next poll of it waits {@code poll.interval.ms}; a full page means more rows wait, so it is due again at once.
     */
    List<SourceRecord> poll(Connection conn, long nowMs) throws SQLException {
        if (!definitionCurrent(conn)) {
            conn.commit();
            nextPollAtMs = nowMs + options.pollIntervalMs();
            return List.of();
        }
        int pageSize = options.pageSize();
        String bound = plan.timestamp().isPresent() ? readHorizon(conn) : null;
        if (!startResolved) {
            resolveStart(conn, bound);
            startResolved = true;
        }
        List<SourceRecord> records = new ArrayList<>();
        boolean fromStart = position == null && startAt != null;
        // Reading a row moves the position past it; if the page fails part-way (connection lost, commit failed),
        // its records are never emitted, so the position must go back to where the page started.
        List<String> pageStart = position;
        Map<String, ?> pageStartOffset = lastOffset;
        try {
            try (PreparedStatement st = conn.prepareStatement(position != null ? query.nextPage()
                    : fromStart ? query.startPage() : query.firstPage())) {
                st.setFetchSize(pageSize);
                int p = 1;
                if (position != null) {
                    for (String value : position) {
                        st.setString(p++, value);
                    }
                } else if (fromStart) {
                    st.setString(p++, startAt);
                }
                if (bound != null) {
                    st.setString(p++, bound);
                }
                st.setInt(p, pageSize);
                Object[] lastKey = null;
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        lastKey = readKey(rs);
                        records.add(record(rs, lastKey));
                    }
                }
                if (lastKey != null) {
                    position = positionText(lastKey); // only the page's last row says where the next one starts
                }
            }
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            position = pageStart;
            lastOffset = pageStartOffset;
            throw e;
        }
        boolean drained = records.size() < pageSize;
        nextPollAtMs = drained ? nowMs + options.pollIntervalMs() : nowMs;
        if (!records.isEmpty()) {
            startAt = null; // the offset of the records now says where the table is
        }
        if (drained && plan.mode() == Mode.BULK) {
            position = null; // the next pass reads the whole table again
        }
        if (!records.isEmpty()) {
            log.debug("Read {} rows from {} up to {}", records.size(), table, lastOffset);
        }
        return records;
    }

    /**
     * Applies initial.position to a table that has no stored offset and has not been read yet: for incrementing,
     * sets the position to a value (the current maximum for latest); for the timestamp modes, sets the first
     * timestamp to read (the current read horizon for latest, so rows of transactions still open are not lost).
     */
    private void resolveStart(Connection conn, String horizon) throws SQLException {
        StartPosition start = settings.start();
        if (position != null || lastOffset != null || start.position() == InitialPosition.EARLIEST) {
            return;
        }
        String positionKey = settings.keyOf(PostgresSourceConfig.INITIAL_POSITION);
        if (!plan.keepsPosition()) {
            log.info("{} is read in bulk mode, which reads every row on each pass; {} does not apply to it", table,
                    positionKey);
            return;
        }
        boolean latest = start.position() == InitialPosition.LATEST;
        if (plan.mode() == Mode.INCREMENTING) {
            KeyColumn column = plan.key().get(0);
            Long value = latest ? currentMax(conn, column) : start.incrementing();
            if (!latest && value == null) {
                throw new ConnectException(table + " is read in incrementing mode, but "
                        + settings.keyOf(PostgresSourceConfig.INCREMENTING_INITIAL) + " is not set; set it (rows "
                        + "above it are read), or use another " + positionKey);
            }
            if (value != null) {
                position = List.of(Long.toString(value));
            }
            log.info("{} has no stored offset; {}={}: reading rows whose \"{}\" is above {}", table, positionKey,
                    start.position().configName(), column.name(), value == null ? "(none: the table is empty)"
                            : value);
            return;
        }
        KeyColumn ts = plan.timestamp().orElseThrow();
        if (latest) {
            startAt = horizon;
        } else if (start.timestampMs() == null) {
            throw new ConnectException(table + " is read in mode " + plan.mode() + ", but "
                    + settings.keyOf(PostgresSourceConfig.TIMESTAMP_INITIAL) + " is not set; set it (epoch "
                    + "milliseconds of the first timestamp to read), or use another " + positionKey);
        } else {
            Instant instant = Instant.ofEpochMilli(start.timestampMs());
            startAt = ts.isLocalTimestamp()
                    ? instant.atZone(ZoneId.of(options.dbTimezone())).toLocalDateTime().toString()
                    : instant.toString();
        }
        log.info("{} has no stored offset; {}={}: reading rows whose \"{}\" is at or after {}", table,
                positionKey, start.position().configName(), ts.name(), startAt);
    }

    private Long currentMax(Connection conn, KeyColumn column) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement("SELECT max(" + Identifiers.quote(column.name())
                + ") FROM " + table.quoted()); ResultSet rs = st.executeQuery()) {
            rs.next();
            long max = rs.getLong(1);
            return rs.wasNull() ? null : max;
        }
    }

    /** The key columns of the current row, typed as the offset keeps them. */
    private Object[] readKey(ResultSet rs) throws SQLException {
        List<KeyColumn> key = plan.key();
        Object[] typed = new Object[key.size()];
        for (int k = 0; k < typed.length; k++) {
            KeyColumn column = key.get(k);
            Object v = keyValue(rs, query.keyIndex(k), column);
            if (v == null) {
                // Excluded by the query's conditions; seeing one means the table changed under us.
                throw new ConnectException("Key column \"" + column.name() + "\" of " + table + " is NULL");
            }
            typed[k] = v;
        }
        return typed;
    }

    /** The key as the texts the next page's query binds. */
    private List<String> positionText(Object[] typed) {
        List<KeyColumn> key = plan.key();
        List<String> texts = new ArrayList<>(typed.length);
        for (int k = 0; k < typed.length; k++) {
            KeyColumn column = key.get(k);
            texts.add(column.role() == KeyColumn.Role.TIMESTAMP ? SourceOffsets.toText(column, typed[k])
                    : typed[k].toString());
        }
        return texts;
    }

    private SourceRecord record(ResultSet rs, Object[] typed) throws SQLException {
        Struct value = mapper.readValue(rs);
        Long timestampMs = null;
        if (options.watermarkRecordTimestamp()) {
            List<KeyColumn> key = plan.key();
            for (int k = 0; k < typed.length; k++) {
                if (key.get(k).role() == KeyColumn.Role.TIMESTAMP) {
                    timestampMs = Math.floorDiv((Long) typed[k], 1_000L);
                }
            }
        }
        Map<String, Object> offset = plan.keepsPosition() ? SourceOffsets.offset(plan, typed) : null;
        lastOffset = offset;
        return new SourceRecord(sourcePartition, offset, settings.topic(), null, mapper.keySchema(),
                mapper.key(value), mapper.valueSchema(), value, timestampMs);
    }

    /** A key value as its offset keeps it: microseconds for the timestamp, a long for integers, else text. */
    private static Object keyValue(ResultSet rs, int index, KeyColumn column) throws SQLException {
        if (column.role() == KeyColumn.Role.TIMESTAMP) {
            if (column.isLocalTimestamp()) {
                LocalDateTime t = rs.getObject(index, LocalDateTime.class);
                return t == null ? null : micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano());
            }
            OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
            return t == null ? null : micros(t.toEpochSecond(), t.getNano());
        }
        if (column.isInteger()) {
            long v = rs.getLong(index);
            return rs.wasNull() ? null : v;
        }
        return rs.getString(index);
    }

    private static long micros(long epochSecond, int nano) {
        return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), nano / 1_000L);
    }

    private String readHorizon(Connection conn) throws SQLException {
        KeyColumn ts = plan.timestamp().orElseThrow();
        if (!visibilityChecked) {
            visibilityChecked = true;
            if (options.openTransactionWaitMaxMs() > 0 && !ReadHorizon.seesOtherSessions(conn)) {
                log.warn("The database user cannot see other roles' sessions in pg_stat_activity, so reads of {} "
                        + "do not wait for their open transactions and a row they commit late with an older \"{}\" "
                        + "can be missed; grant it pg_read_all_stats (GRANT pg_read_all_stats TO {}), or "
                        + "cover late commits with timestamp.delay.interval.ms", table, ts.name(),
                        Identifiers.quote(conn.getMetaData().getUserName()));
            }
        }
        ReadHorizon.Horizon h = horizon.read(conn, options.timestampDelayMs(), options.openTransactionWaitMaxMs(),
                options.dbTimezone(), ts.isLocalTimestamp());
        if (h.ignoredPid() != null && !h.ignoredPid().equals(warnedPid)) {
            warnedPid = h.ignoredPid();
            log.warn("Transaction of backend pid {} has been open since {}, longer than "
                    + "timestamp.open.transaction.wait.max.ms; reads of {} no longer wait for it, so a row it "
                    + "commits with an older \"{}\" would be missed", h.ignoredPid(), h.ignoredSince(), table,
                    ts.name());
        }
        return h.bound();
    }

    /**
     * Checks the catalog (one cheap query) and rebuilds the row mapping and query when the table changed: columns
     * added, dropped or retyped are picked up without a restart. False when the table does not exist.
     */
    private boolean definitionCurrent(Connection conn) throws SQLException {
        String current = Catalog.fingerprint(conn, table).orElse(null);
        if (current == null) {
            if (!missingLogged) {
                log.warn("Table {} does not exist (any more); it is skipped until it exists again", table);
                missingLogged = true;
            }
            fingerprint = null;
            return false;
        }
        missingLogged = false;
        if (current.equals(fingerprint)) {
            return true;
        }
        TableDefinition definition = Catalog.describe(conn, table).orElse(null);
        if (definition == null) {
            return false;
        }
        ReadPlan newPlan;
        TableDefinition selected;
        try {
            newPlan = ReadPlans.resolve(definition, settings);
            selected = ColumnSelection.apply(definition, settings);
        } catch (PlanException e) {
            throw new ConnectException(e.getMessage() + " (" + e.configKey() + ")");
        }
        boolean first = plan == null;
        boolean sameKey = !first && Objects.equals(plan.key(), newPlan.key());
        mapper = new RowMapper(selected, AvroNames.fullName(settings.topic()), typeOptions);
        query = new KeysetQuery(table, mapper.columnNames(), newPlan.key(), newPlan.timestamp().orElse(null));
        horizon = newPlan.timestamp().map(ReadHorizon::new).orElse(null);
        if (!sameKey) {
            position = SourceOffsets.keyText(newPlan, lastOffset);
            startResolved = false;
            startAt = null;
        }
        plan = newPlan;
        fingerprint = current;
        if (first) {
            log.info("Reading {} into topic {}: {} ({}; {} of {} columns, record key: {}), from {}", table,
                    settings.topic(), plan.describe(), plan.reason(), selected.columns().size(),
                    definition.columns().size(),
                    definition.primaryKey().isEmpty() ? "none" : definition.primaryKey(),
                    lastOffset != null ? "after " + lastOffset
                            : settings.start().position() == InitialPosition.EARLIEST ? "the beginning"
                            : "initial.position " + settings.start().position().configName());
        } else {
            log.info("Definition of {} changed; now {} columns, {}", table, definition.columns().size(),
                    plan.describe());
        }
        return true;
    }
}
