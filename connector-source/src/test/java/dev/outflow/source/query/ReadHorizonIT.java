package dev.outflow.source.query;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.outflow.testing.PostgresServer;

/** What the connector can see of other sessions decides whether late commits can be waited for. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadHorizonIT {

    private PostgresServer pg;

    @BeforeAll
    void start() {
        pg = PostgresServer.start();
        pg.execute("CREATE ROLE plain_reader LOGIN PASSWORD 'pw'");
    }

    @AfterAll
    void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void onlyASuperuserOrAMemberOfPgReadAllStatsSeesOtherSessions() throws Exception {
        try (Connection superuser = pg.connect()) {
            assertTrue(ReadHorizon.seesOtherSessions(superuser));
        }
        try (Connection plain = DriverManager.getConnection(pg.jdbcUrl(), "plain_reader", "pw")) {
            assertFalse(ReadHorizon.seesOtherSessions(plain));
        }
        pg.execute("GRANT pg_read_all_stats TO plain_reader");
        try (Connection granted = DriverManager.getConnection(pg.jdbcUrl(), "plain_reader", "pw")) {
            assertTrue(ReadHorizon.seesOtherSessions(granted));
        }
    }
}
