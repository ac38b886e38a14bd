package com.neurocards.messaging;

import com.neurocards.messaging.broker.TopologyScope;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a service talks to the broker and where its messaging tables live. Defaults for the connection come from the
 * environment variables of README.md#configuration (see this module's
 * {@code META-INF/microprofile-config.properties}).
 */
@ConfigMapping(prefix = "neurocards.messaging")
public interface MessagingConfig {

    /** The service's own PostgreSQL schema, where its outbox and processed-message tables are. */
    String schema();

    /** Names this service in connection names and consumer tags (visible in the RabbitMQ console). */
    @WithDefault("neurocards")
    String serviceName();

    Broker broker();

    Relay relay();

    Consumers consumers();

    interface Broker {
        /** The broker's host when {@link #addresses()} is not set ({@code RABBITMQ_HOST}). */
        @WithDefault("127.0.0.1")
        String host();

        /** The broker's AMQP port ({@code RABBITMQ_PORT}), and the port of an address that names none. */
        @WithDefault("5672")
        int port();

        /**
         * The nodes of a RabbitMQ cluster as {@code host:port,host:port,...} ({@code RABBITMQ_ADDRESSES}); when set,
         * it replaces {@link #host()}: the service connects to one of the nodes and, when that node goes, reconnects to
         * another (docs/decisions/0019-rabbitmq-cluster-addresses.md).
         */
        Optional<String> addresses();

        /**
         * The broker user this service connects as ({@code RABBITMQ_USER}): each service has its own, with rights on
         * its own queues only (docs/decisions/0011-broker-users.md). It is also the {@code user_id} every message it
         * publishes carries, which the broker checks against the connection.
         */
        @WithDefault("guest")
        String username();

        /** That user's password ({@code RABBITMQ_PASSWORD}); never logged. */
        @WithDefault("guest")
        String password();

        @WithDefault("/")
        String virtualHost();

        /**
         * What to declare at start-up (idempotent): the exchanges, delay tiers and this service's own queues by
         * default, which is what its own broker user may configure; {@code all} for a user with rights everywhere.
         */
        @WithDefault("own")
        TopologyScope declareTopology();

        /** How long a publish may wait for the broker's confirm before it counts as failed. */
        @WithDefault("10s")
        Duration confirmTimeout();

        /** How long a starting service waits for the broker before it gives up. */
        @WithDefault("60s")
        Duration startupTimeout();

        /** Channels kept open for confirmed publishing; publishes on different channels run in parallel. */
        @WithDefault("4")
        int publisherChannels();
    }

    interface Relay {
        /** Whether this instance publishes the outbox (any number of instances may; rows are claimed with SKIP LOCKED). */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("200")
        int batchSize();

        /** How often an idle relay looks for rows written by other instances; writes in this JVM wake it at once. */
        @WithDefault("250ms")
        Duration pollInterval();

        /** Published rows older than this are deleted. */
        @WithDefault("P2D")
        Duration retention();

        /**
         * Processed-message records older than this are deleted. Far longer than any redelivery can take (the broker
         * redelivers within minutes; a DLQ re-drive is a new decision), so de-duplication is never weakened.
         */
        @WithDefault("P14D")
        Duration processedRetention();
    }

    interface Consumers {
        /** Whether this instance consumes its queues (off for tools and some tests). */
        @WithDefault("true")
        boolean enabled();

        /** Unacked messages a queue may hand one consumer at a time. */
        @WithDefault("16")
        int prefetch();

        /** Tries of one message by one queue before it is dead-lettered (1 = no retry). */
        @WithDefault("5")
        int maxAttempts();

        /**
         * Rounds through the 5 s tier a message may take for our own infrastructure trouble (database restarting)
         * before it is dead-lettered like any other failure: long enough to ride out a restart, bounded so that a
         * misread failure can never keep a job from ending.
         */
        @WithDefault("120")
        int maxInfrastructureAttempts();

        /**
         * Rounds through the delay tiers a message may take because what it needs is busy (a Telegram chat's pace, a
         * 429's {@code retry_after}) before such a wait counts as a failed attempt: far more than a busy chat ever
         * needs, bounded so a message cannot circle for ever.
         */
        @WithDefault("120")
        int maxPacingRounds();

        /**
         * The first wait before a stage whose consumer the broker took away (its channel closed, its consumer
         * cancelled, the connection lost) subscribes again; each failed try doubles it, up to
         * {@link #resubscribeMaxBackoff()}.
         */
        @WithDefault("500ms")
        Duration resubscribeBackoff();

        /** The longest wait between two tries to subscribe again: a stage never waits longer to come back. */
        @WithDefault("5s")
        Duration resubscribeMaxBackoff();

        /** Only consume these queues (by name), when set; otherwise every queue a stage of this service handles. */
        @WithName("only")
        Optional<List<String>> only();
    }
}
