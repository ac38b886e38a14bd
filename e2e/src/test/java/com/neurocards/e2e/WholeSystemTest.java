package com.neurocards.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** Each end-to-end class runs against a whole system of its own, started once for the class. */
abstract class WholeSystemTest {

    static NeuroCardsSystem system;

    @BeforeAll
    static void startTheSystem() {
        system = NeuroCardsSystem.start(Map.of("WELCOME_CREDITS", "10"));
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
            system = null;
        }
    }

    /** The first column of the first row of {@code sql} in the system's database, or -1 when there is no row. */
    static long count(String sql, Object... parameters) throws SQLException {
        try (Connection connection = system.infra.database().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        }
    }
}
