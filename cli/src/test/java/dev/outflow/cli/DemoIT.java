package dev.outflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.outflow.testing.DuckDb;

/**
 * {@code outflow demo} as a user runs it (in this JVM, stopping itself after a while instead of Ctrl-C): its
 * throwaway database is synced, the changes it keeps making arrive as new rows, the query it prints works, and
 * the database is gone afterwards while the files stay.
 */
class DemoIT {

    @Test
    void theDemoSyncsItsShopAndTheChangesItKeepsMaking(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("outflow-demo");
        CliRun run = CliRun.of("demo", "--dir", dir.toString(), "--change-every", "1", "--run-for", "12");
        assertEquals(0, run.exitCode(), run.toString());
        String out = run.out();
        assertTrue(out.contains("First sync done"), out);
        int banner = out.indexOf("First sync done");
        assertTrue(out.indexOf("synced: ", banner) > banner, "changes synced after the first pass:\n" + out);

        Path lake = dir.resolve("lake");
        String orders = "read_parquet('" + lake.resolve("shop.orders") + "/**/*.parquet', hive_partitioning = true)";
        try (DuckDb duck = DuckDb.open()) {
            // The seed: 2,000 orders spread over 2,000 hours, in daily Hive directories.
            assertEquals(2000, duck.queryLong("SELECT count(DISTINCT id) FROM " + orders + " WHERE id <= 2000"));
            assertTrue(duck.queryLong("SELECT count(DISTINCT (year, month, day)) FROM " + orders) > 80);
            // Rows the shop inserted and updated while the demo ran arrived.
            assertTrue(duck.queryLong("SELECT count(*) FROM " + orders + " WHERE note LIKE 'demo round %'") > 0,
                    "new orders");
            assertTrue(duck.queryLong("SELECT count(*) - count(DISTINCT id) FROM " + orders) > 0,
                    "a later version of an updated order");
            assertTrue(duck.queryLong("SELECT count(*) FROM read_parquet('" + lake.resolve("shop.customers")
                    + "/**/*.parquet') WHERE email LIKE '%+r%'") > 0, "a customer's new e-mail");
            assertTrue(duck.queryLong("SELECT count(*) FROM read_parquet('" + lake.resolve("shop.order_lines")
                    + "/**/*.parquet')") > 6_000, "new order lines");

            // The query the demo prints runs as printed.
            Matcher printed = Pattern.compile("duckdb -c \"([^\"]+)\"").matcher(out);
            assertTrue(printed.find(), out);
            List<Map<String, Object>> latest = duck.query(printed.group(1));
            assertEquals(10, latest.size(), printed.group(1));
        }

        // The database is gone; the files and the demo's config stay.
        Matcher port = Pattern.compile("PostgreSQL is up on 127\\.0\\.0\\.1:(\\d+)").matcher(out);
        assertTrue(port.find(), out);
        assertThrows(SQLException.class, () -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port.group(1) + "/postgres", "postgres", "").close());
        assertTrue(Files.readString(dir.resolve("outflow.yaml")).contains("partition_by: date"));
    }

    @Test
    void aDirectoryTheDemoDidNotWriteIsLeftAlone(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        CliRun run = CliRun.of("demo", "--dir", dir.toString(), "--run-for", "1");
        assertEquals(Exit.CONFIG, run.exitCode(), run.toString());
        assertTrue(run.err().contains("was not written by outflow demo"), run.toString());
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }
}
