package dev.outflow.testing;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory DuckDB: the independent Parquet reader that checks what our sink wrote (a different
 * implementation from the parquet-mr writer we use, so it catches files only our own stack could read).
 *
 * <p>DuckDB's JDBC driver closes a Statement after a failed query, so every query gets a new Statement.
 */
public final class DuckDb implements AutoCloseable {

    private final Connection connection;

    private DuckDb(Connection connection) {
        this.connection = connection;
    }

    public static DuckDb open() {
        try {
            return new DuckDb(DriverManager.getConnection("jdbc:duckdb:"));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not open an in-memory DuckDB", e);
        }
    }

    /**
     * {@code read_parquet('<dir>/**}{@code /*.parquet', hive_partitioning=true)}: every Parquet file below
     * {@code dir}, with partition directories such as {@code dt=2024-01-01} turned into columns.
     */
    public static String parquetGlob(Path dir) {
        String glob = dir.toAbsolutePath().normalize().toString().replace('\\', '/') + "/**/*.parquet";
        return "read_parquet(" + literal(glob) + ", hive_partitioning=true)";
    }

    /** A SQL string literal (single quotes doubled). */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    public long queryLong(String sql) {
        return Support.asLong(queryScalar(sql), sql);
    }

    /** First column of the first row (may be null); fails if there is no row. */
    public Object queryScalar(String sql) {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("No row from " + sql);
            }
            return rs.getObject(1);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    public BigDecimal queryDecimal(String sql) {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("No row from " + sql);
            }
            return rs.getBigDecimal(1);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** Every row as column label -> value, in column order. */
    public List<Map<String, Object>> query(String sql) {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** Runs a statement that returns no rows (COPY, CREATE, SET ...). */
    public void execute(String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    private static IllegalStateException failed(String sql, SQLException e) {
        return new IllegalStateException("DuckDB query failed: " + sql + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
