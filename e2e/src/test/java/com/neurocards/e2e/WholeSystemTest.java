package com.neurocards.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
}
