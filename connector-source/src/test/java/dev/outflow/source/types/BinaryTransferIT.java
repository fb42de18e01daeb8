package dev.outflow.source.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.outflow.source.catalog.ColumnDefinition;
import dev.outflow.testing.PostgresServer;

/**
 * pgjdbc sends a statement's results as text until it is prepared on the server (the 5th execution by default),
 * then numbers, dates and times in binary: the typed column readers must give the same values either way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BinaryTransferIT {

    private PostgresServer pg;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        pg.execute("CREATE TABLE t (id int, n numeric(12,3), d date, ts timestamptz, f8 float8)",
                "INSERT INTO t VALUES (1, 123456789.123, '2026-02-11', '2026-02-11 08:00:00.123456+00', 1.5), "
                        + "(2, 'NaN', '0001-01-01', '1970-01-01 00:00:00+00', 'NaN'), "
                        + "(3, -0.001, '9999-12-31', '2262-04-11 23:47:16.854775+00', '-Infinity'), "
                        + "(4, 0, '1970-01-01', '1900-01-01 00:00:00.000001+00', 0), "
                        + "(5, NULL, NULL, NULL, NULL)");
    }

    @AfterAll
    void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void typedReadersGiveTheSameValuesInTextAndBinaryTransfer() throws Exception {
        List<ColumnReader> readers = List.of(
                reader("numeric", ((12 << 16) | 3) + 4),
                reader("date", -1),
                reader("timestamptz", -1),
                reader("float8", -1));
        // prepareThreshold=0 never prepares on the server (text); -1 prepares at once (binary where pgjdbc can).
        List<List<Object>> text = read("prepareThreshold=0", readers);
        List<List<Object>> binary = read("prepareThreshold=-1", readers);
        assertEquals(text, binary);
        // numeric(12,3): exact, NaN as null.
        assertEquals(Arrays.asList(new BigDecimal("123456789.123"), null, new BigDecimal("-0.001")),
                Arrays.asList(binary.get(0).get(0), binary.get(1).get(0), binary.get(2).get(0)));
        assertEquals(new BigDecimal("0.000"), binary.get(3).get(0)); // the column's scale, kept exactly
    }

    private static ColumnReader reader(String type, int typmod) {
        return TypeMapper.map(new ColumnDefinition("c", type, typmod, false), "c").reader();
    }

    private List<List<Object>> read(String option, List<ColumnReader> readers) throws Exception {
        String url = pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + option;
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
                PreparedStatement st = c.prepareStatement("SELECT n, d, ts, f8 FROM t ORDER BY id");
                ResultSet rs = st.executeQuery()) {
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < readers.size(); i++) {
                    Object v = readers.get(i).read(rs, i + 1);
                    row.add(v instanceof java.util.Date date ? date.getTime() : v);
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
