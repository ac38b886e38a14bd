package com.neurocards.billing;

import com.neurocards.contracts.BrokerUser;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.PaymentRefunded;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.TestInfrastructure;
import com.rabbitmq.client.GetResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Builds billing's inputs, publishes them like the other services would, and reads what billing said back. */
final class BillingTestSupport {

    private final TestInfrastructure infra;
    /** Everything billing published, as read so far from pipeline.notify (which hears every billing outcome). */
    private final List<Envelope<Event>> heard = new ArrayList<>();

    BillingTestSupport(TestInfrastructure infra) {
        this.infra = infra;
    }

    static long newUser() {
        return ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
    }

    static GenerationRequested request(long userId, int count) {
        return request(userId, count, "veo3_fast");
    }

    static GenerationRequested request(long userId, int count, String model) {
        return new GenerationRequested(
                UUID.randomUUID().toString(),
                userId,
                userId,
                Language.RU,
                new Photo("photo-file", "photo-uniq"),
                "Кружка",
                Template.UGC,
                "-",
                null,
                count,
                model,
                "9:16");
    }

    static GenerationFailed failure(GenerationRequested request, int index) {
        JobRef job = request.job(index);
        return new GenerationFailed(job, Stage.POLL, ErrorClass.USER, 400, "flagged by content policy", 1);
    }

    static PaymentReceived payment(long userId, String chargeId, long credits) {
        return new PaymentReceived(chargeId, userId, userId, Language.EN, "pack" + credits, credits * 10, credits);
    }

    /**
     * Publishes an event the way its producer's outbox relay would; a payment or a refund as the gateway's broker
     * user, the only one billing takes payment events from.
     */
    void publish(Envelope<?> event) {
        BrokerProbe publisher = event.payload() instanceof PaymentReceived || event.payload() instanceof PaymentRefunded
                ? infra.brokerAs(BrokerUser.GATEWAY)
                : broker();
        publisher.publish(
                Topology.EXCHANGE,
                event.eventType().routingKey(),
                publisher.stamped(event.id().toString(), event.type(), Map.of()),
                EventCodec.encode(event));
    }

    BrokerProbe broker() {
        return infra.broker();
    }

    /** Reads whatever billing published since the last call, and returns everything heard so far of {@code type}. */
    synchronized <P extends Event> List<P> heard(Class<P> type) {
        return heardEnvelopes(type).stream()
                .map(Envelope::payload)
                .map(type::cast)
                .toList();
    }

    /** Like {@link #heard}, with the envelopes (a message the outbox relay sent again comes with the same id). */
    synchronized List<Envelope<Event>> heardEnvelopes(Class<? extends Event> type) {
        GetResponse response;
        while ((response = broker().take(QueueName.PIPELINE_NOTIFY.queueName())) != null) {
            heard.add(EventCodec.decode(response.getBody()));
        }
        return heard.stream()
                .filter(envelope -> type.isInstance(envelope.payload()))
                .toList();
    }

    long balance(long userId) throws SQLException {
        return single("SELECT balance FROM billing.account WHERE user_id = ?", userId);
    }

    long accounts(long userId) throws SQLException {
        return single("SELECT count(*) FROM billing.account WHERE user_id = ?", userId);
    }

    long entries(long userId, String kind) throws SQLException {
        return single("SELECT count(*) FROM billing.ledger_entry WHERE user_id = ? AND kind = '" + kind + "'", userId);
    }

    long sumOfEntries(long userId) throws SQLException {
        return single("SELECT COALESCE(SUM(amount), 0) FROM billing.ledger_entry WHERE user_id = ?", userId);
    }

    /** Whether billing knows the job was delivered. */
    boolean delivered(String jobId) throws SQLException {
        try (Connection connection = infra.database().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM billing.funded_job WHERE job_id = ? AND delivered_at IS NOT NULL")) {
            statement.setString(1, jobId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) == 1;
            }
        }
    }

    /** Moves a request's funding into the past, as if it had been funded {@code ago}. */
    void fundedLongAgo(String requestId, Duration ago) throws SQLException {
        try (Connection connection = infra.database().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE billing.funded_job SET funded_at = now() - make_interval(secs => ?) WHERE request_id = ?")) {
            statement.setDouble(1, ago.toSeconds());
            statement.setString(2, requestId);
            statement.executeUpdate();
        }
    }

    long ignored(String reference) throws SQLException {
        try (Connection connection = infra.database().connect();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT count(*) FROM billing.ignored_event WHERE reference = ?")) {
            statement.setString(1, reference);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private long single(String sql, long userId) throws SQLException {
        try (Connection connection = infra.database().connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        }
    }
}
