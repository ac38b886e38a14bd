package com.neurocards.messaging;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

final class MessagingTestSupport {

    private MessagingTestSupport() {}

    /** A request whose description scripts {@link ScriptedStage}. */
    static Envelope<GenerationRequested> request(String script) {
        return Envelope.of(new GenerationRequested(
                UUID.randomUUID().toString(),
                7L,
                7L,
                Language.EN,
                new Photo("file-1", "uniq-1"),
                script,
                Template.AD,
                "-",
                null,
                1,
                "veo3_fast",
                "9:16"));
    }

    /** Publishes {@code event} to the main exchange with its type's routing key, as the outbox relay would. */
    static void publish(BrokerProbe broker, Envelope<?> event) {
        broker.publish(
                Topology.EXCHANGE,
                event.eventType().routingKey(),
                BrokerProbe.json(event.id().toString(), event.type(), Map.of()),
                EventCodec.encode(event));
    }

    /** How many effects {@link ScriptedStage} committed for one message. */
    static int effects(TestInfrastructure infra, UUID messageId) throws SQLException {
        try (Connection connection = infra.database().connect();
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery(
                                "SELECT count(*) FROM messaging_test.effect WHERE message_id = '" + messageId + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** The stage's handlings of one message id, as {@code <id>#<attempt>}. */
    static List<String> handlings(Object messageId) {
        return ScriptedStage.HANDLED.stream()
                .filter(h -> h.startsWith(messageId + "#"))
                .toList();
    }
}
