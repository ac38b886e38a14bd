package com.neurocards.testing;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Decides where the tests' RabbitMQ and PostgreSQL come from: the services running on the machine, or containers
 * started for the test run. A pure decision (the probes are passed in), so every case is covered by a unit test
 * without a broker, a database or a Docker engine.
 */
public final class InfrastructureChoice {

    /** The system property ({@code -Dneurocards.test.infra=...}) that asks for one source. */
    public static final String PROPERTY = "neurocards.test.infra";
    /** The same switch as an environment variable, for runs that cannot pass system properties. */
    public static final String VARIABLE = "NEUROCARDS_TEST_INFRA";

    /** What was asked for. */
    public enum Mode {
        /** The local services when they answer, else containers when Docker answers (the default). */
        AUTO,
        /** The local services, without asking whether they answer: a missing one fails at its first use. */
        LOCAL,
        /** Containers, even when local services run. */
        CONTAINERS;

        public static Mode parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        PROPERTY + " must be auto, local or containers, not '" + value + "'", e);
            }
        }
    }

    /** Where the services come from. */
    public enum Source {
        LOCAL,
        CONTAINERS
    }

    private InfrastructureChoice() {}

    /**
     * @param localServicesAnswer whether the local RabbitMQ (AMQP and management ports) and PostgreSQL accept
     *                            connections; asked only when the answer matters
     * @param dockerAvailable     whether a Docker engine answers; asked only when the answer matters
     * @param localServices       where the local services are expected, for the message when nothing is there
     * @throws IllegalStateException when the services can come from nowhere, saying what to start
     */
    public static Source choose(
            Mode mode, BooleanSupplier localServicesAnswer, BooleanSupplier dockerAvailable, String localServices) {
        switch (mode) {
            case LOCAL:
                return Source.LOCAL;
            case CONTAINERS:
                if (dockerAvailable.getAsBoolean()) {
                    return Source.CONTAINERS;
                }
                throw new IllegalStateException(PROPERTY + "=containers, but no Docker engine answers: start Docker, "
                        + "or use the local services (infra/local/up.sh, then " + PROPERTY + "=local or auto)");
            default:
                if (localServicesAnswer.getAsBoolean()) {
                    return Source.LOCAL;
                }
                if (dockerAvailable.getAsBoolean()) {
                    return Source.CONTAINERS;
                }
                throw new IllegalStateException("The tests need RabbitMQ (with its management plugin) and PostgreSQL, "
                        + "but they do not answer at " + localServices + " and no Docker engine answers either. "
                        + "Start them (infra/local/up.sh does, from local packages or infra/compose), "
                        + "or start Docker: the tests then run them in containers by themselves.");
        }
    }
}
