package dev.outflow.source.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outflow.source.catalog.Catalog;
import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.source.catalog.TableDefinition;
import dev.outflow.source.catalog.TableId;
import dev.outflow.source.query.IncrementingQuery;
import dev.outflow.source.types.AvroNames;
import dev.outflow.source.types.RowMapper;
import dev.outflow.source.types.TypeOptions;

/**
 * Reads one table page by page in {@code incrementing} mode and remembers where it is. The position it keeps is
 * exactly the offset attached to the last record it returned, so a restart resumes after that row.
 */
final class TableReader {
    private static final Logger log = LoggerFactory.getLogger(TableReader.class);
    private static final Set<String> INTEGER_TYPES = Set.of("int2", "int4", "int8");

    private final TableId table;
    private final String topic;
    private final String incrementingColumn;
    private final Map<String, String> sourcePartition;
    private final TypeOptions typeOptions;
    private Long lastValue;
    private long nextPollAtMs;

    // Built from the catalog on first use, and again after the table's definition changed.
    private RowMapper mapper;
    private IncrementingQuery query;
    private int incrementingIndex;

    TableReader(TableId table, String topicPrefix, String incrementingColumn, Long lastValue,
            TypeOptions typeOptions) {
        this.typeOptions = typeOptions;
        this.table = table;
        this.topic = topicPrefix + table.qualifiedName();
        this.incrementingColumn = incrementingColumn;
        this.sourcePartition = SourceOffsets.partition(table);
        this.lastValue = lastValue;
    }

    TableId table() {
        return table;
    }

    long nextPollAtMs() {
        return nextPollAtMs;
    }

    /** Forget the table's definition, so the next poll reads it from the catalog again. */
    void invalidateDefinition() {
        mapper = null;
    }

    /**
     * Reads one page in its own read-only transaction. A short page means the table is drained for now, so the
     * next poll of it waits {@code pollIntervalMs}; a full page means more rows wait, so it is due again at once.
     */
    List<SourceRecord> poll(Connection conn, int pageSize, long pollIntervalMs, long nowMs) throws SQLException {
        if (mapper == null && !describe(conn)) {
            conn.commit();
            nextPollAtMs = nowMs + pollIntervalMs;
            return List.of();
        }
        List<SourceRecord> records = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement(lastValue == null ? query.firstPage() : query.nextPage())) {
            st.setFetchSize(pageSize);
            int p = 1;
            if (lastValue != null) {
                st.setLong(p++, lastValue);
            }
            st.setInt(p, pageSize);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Struct value = mapper.readValue(rs);
                    long id = rs.getLong(incrementingIndex);
                    records.add(new SourceRecord(sourcePartition, SourceOffsets.incrementing(id), topic, null,
                            mapper.keySchema(), mapper.key(value), mapper.valueSchema(), value));
                    lastValue = id;
                }
            }
        }
        conn.commit();
        nextPollAtMs = records.size() < pageSize ? nowMs + pollIntervalMs : nowMs;
        if (!records.isEmpty()) {
            log.debug("Read {} rows from {} up to {}={}", records.size(), table, incrementingColumn, lastValue);
        }
        return records;
    }

    private boolean describe(Connection conn) throws SQLException {
        TableDefinition definition = Catalog.describe(conn, table).orElse(null);
        if (definition == null) {
            log.warn("Table {} no longer exists; it is skipped until it is created again", table);
            return false;
        }
        ColumnDefinition column = definition.column(incrementingColumn).orElseThrow(() -> new ConnectException(
                "Table " + table + " has no column \"" + incrementingColumn + "\" (incrementing.column.name). "
                        + "Name an integer column every table has, or exclude this table with table.exclude.list."));
        if (!INTEGER_TYPES.contains(column.typeName())) {
            throw new ConnectException("Column \"" + incrementingColumn + "\" of " + table + " is "
                    + column.typeName() + "; incrementing mode needs int2, int4 or int8.");
        }
        mapper = new RowMapper(definition, AvroNames.fullName(topic), typeOptions);
        query = new IncrementingQuery(table, mapper.columnNames(), incrementingColumn);
        incrementingIndex = mapper.columnNames().indexOf(incrementingColumn) + 1;
        log.info("Reading {} into topic {} ({} columns, key: {}, incrementing by {}, from {})", table, topic,
                definition.columns().size(), definition.primaryKey().isEmpty() ? "none" : definition.primaryKey(),
                incrementingColumn, lastValue == null ? "the beginning" : "after " + lastValue);
        return true;
    }
}
