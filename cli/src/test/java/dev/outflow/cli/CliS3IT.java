package dev.outflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.outflow.testing.DuckDb;
import dev.outflow.testing.PostgresServer;
import dev.outflow.testing.S3Server;

/** {@code output: type: s3} against a real S3 protocol server (S3Proxy), read back with DuckDB. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliS3IT {

    private PostgresServer pg;
    private S3Server s3;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        s3 = S3Server.start();
        s3.createBucket("lake");
    }

    @AfterAll
    void stop() {
        s3.close();
        pg.close();
    }

    @Test
    void syncsToABucketUnderAPrefix(@TempDir Path dir) throws IOException {
        pg.execute("CREATE TABLE s3_orders (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                + "created_at timestamptz NOT NULL DEFAULT now(), v text)",
                "INSERT INTO s3_orders (created_at, v) SELECT timestamptz '2026-02-11 08:30:00+00' + g * interval "
                        + "'1 second', 'v' || g FROM generate_series(1, 700) g");
        Path config = dir.resolve("outflow.yaml");
        String database = pg.jdbcUrl().substring(pg.jdbcUrl().lastIndexOf('/') + 1);
        Files.writeString(config, """
                postgres:
                  url: jdbc:postgresql://127.0.0.1:%d/%s
                  user: %s
                  password: %s
                output:
                  type: s3
                  bucket: lake
                  prefix: raw/pg
                  region: us-east-1
                  endpoint: %s
                  access_key_id: %s
                  secret_access_key: %s
                tables:
                  - name: public.s3_orders
                    incremental_column: id
                    partition_by: hour
                sink:
                  s3.part.retries: 2
                """.formatted(pg.port(), database, pg.user(), pg.password(), s3.endpoint(), s3.accessKey(),
                s3.secretKey()));
        String hourBefore = utcHourDirectory();
        CliRun run = CliRun.of("sync", "--config", config.toString(), "--once");
        assertEquals(0, run.exitCode(), run::toString);
        String hourAfter = utcHourDirectory();

        List<String> keys = s3.listKeys("lake", "raw/pg/");
        // An integer incremental column has no time in it: hour directories are the time of writing (UTC), which
        // is the hour before or after the run (they differ when the run crosses the hour).
        assertTrue(keys.stream().anyMatch(k -> (k.startsWith("raw/pg/s3_orders/" + hourBefore)
                || k.startsWith("raw/pg/s3_orders/" + hourAfter))
                && k.endsWith("/s3_orders+0+0000000000.snappy.parquet")), keys::toString);
        Path local = s3.download("lake", "raw/pg/s3_orders/", dir.resolve("copy"));
        try (DuckDb duck = DuckDb.open()) {
            assertEquals(700, duck.queryLong("SELECT count(DISTINCT id) FROM " + DuckDb.parquetGlob(local)));
            assertEquals(700, duck.queryLong("SELECT count(*) FROM " + DuckDb.parquetGlob(local)));
        }

        // Incremental on an integer column: only the new rows next time.
        pg.execute("INSERT INTO s3_orders (v) VALUES ('late')");
        assertEquals(0, CliRun.of("sync", "--config", config.toString(), "--once").exitCode());
        Path again = s3.download("lake", "raw/pg/s3_orders/", dir.resolve("copy2"));
        try (DuckDb duck = DuckDb.open()) {
            assertEquals(701, duck.queryLong("SELECT count(*) FROM " + DuckDb.parquetGlob(again)));
        }

        // A bucket that does not exist is an unwritable output.
        Files.writeString(config, Files.readString(config).replace("bucket: lake", "bucket: no-such-bucket"));
        CliRun missing = CliRun.of("sync", "--config", config.toString(), "--once");
        assertEquals(Exit.OUTPUT_UNWRITABLE, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("no-such-bucket"), missing::toString);
    }

    private static String utcHourDirectory() {
        return java.time.format.DateTimeFormatter.ofPattern("'year='yyyy'/month='MM'/day='dd'/hour='HH")
                .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
    }
}
