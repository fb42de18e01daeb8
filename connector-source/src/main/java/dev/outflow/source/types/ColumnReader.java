package dev.outflow.source.types;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads one column of the current row into the Connect value its schema describes (null for SQL NULL). */
@FunctionalInterface
public interface ColumnReader {
    Object read(ResultSet rs, int index) throws SQLException;
}
