package com.neurocards.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A test database refuses to go quietly while connections to it are still open. */
class TestDatabaseTest {

    @Test
    void closingADatabaseWhoseConnectionsWereClosedDropsIt() throws Exception {
        TestDatabase database = TestDatabase.create();
        try (Connection c = database.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int)");
        }
        database.close();
        assertThat(exists(database.name())).isFalse();
    }

    @Test
    void closingADatabaseWithALeakedConnectionFailsAndNamesIt() throws Exception {
        TestDatabase database = TestDatabase.create();
        Connection leaked = database.connect();
        try {
            assertThat(database.openConnections(Duration.ZERO)).hasSize(1);
            assertThatThrownBy(database::close)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 connection(s) to test database " + database.name() + " were left open");
            // the database is dropped all the same, and the leaked connection with it
            assertThat(exists(database.name())).isFalse();
        } finally {
            leaked.close();
        }
    }

    private static boolean exists(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        LocalServices.jdbcUrl("postgres"), LocalServices.dbUser(), LocalServices.dbPassword());
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
            return rows.next();
        }
    }
}
