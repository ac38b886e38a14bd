package com.neurocards.messaging;

import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.messaging.broker.AmqpHeaders;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import com.neurocards.messaging.consumer.StageException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stage whose behaviour the test picks through the request's description: {@code ok} records an effect once,
 * {@code flaky} always fails with a temporary error, {@code bug} throws something no rule expects, {@code busy} is
 * paced (what it needs is busy) for its first {@link #BUSY_ROUNDS} tries, more than the attempts it has.
 */
@ApplicationScoped
public class ScriptedStage implements StageConsumer {

    static final List<String> HANDLED = new CopyOnWriteArrayList<>();
    static final List<String> RETRIES = new CopyOnWriteArrayList<>();
    static final List<String> GIVE_UPS = new CopyOnWriteArrayList<>();
    static final List<Integer> INFRASTRUCTURE_ATTEMPTS = new CopyOnWriteArrayList<>();
    /** Released by a test to let a {@code commit-then-wait} delivery go on to its ack. */
    static volatile CountDownLatch beforeAck = new CountDownLatch(0);

    static final AtomicBoolean databaseBlipDone = new AtomicBoolean();
    static final int BUSY_ROUNDS = 3;
    /** This stage's own prefetch, other than the service's default (16). */
    static final int PREFETCH = 24;

    private final Transactions transactions;

    public ScriptedStage(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public QueueName queue() {
        return QueueName.BILLING_DEBIT;
    }

    @Override
    public int prefetch() {
        return PREFETCH;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        GenerationRequested request = delivery.payload(GenerationRequested.class);
        HANDLED.add(delivery.envelope().id() + "#" + delivery.attempt());
        INFRASTRUCTURE_ATTEMPTS.add(AmqpHeaders.intValue(delivery.headers(), Headers.INFRASTRUCTURE_ATTEMPT, 0));
        return switch (request.description()) {
            case "busy" -> AmqpHeaders.intValue(delivery.headers(), Headers.PACING_ROUND, 0) < BUSY_ROUNDS
                    ? Uni.createFrom().failure(StageException.paced("the chat is busy", Duration.ofSeconds(1), null))
                    : effect(delivery, request);
            case "flaky" -> Uni.createFrom().failure(StageException.temporary("KIE answered 500", null));
            case "bug" -> Uni.createFrom().failure(new IllegalStateException("no rule expects this"));
            case "database-blip" -> databaseBlipDone.compareAndSet(false, true)
                    ? Uni.createFrom()
                            .failure(new PgException(
                                    "terminating connection due to administrator command", "FATAL", "57P01", null))
                    : effect(delivery, request);
            case "commit-then-wait" -> effect(delivery, request).invoke(() -> await(beforeAck));
            default -> effect(delivery, request);
        };
    }

    private Uni<Void> effect(Delivery delivery, GenerationRequested request) {
        return transactions
                .processOnce(delivery, tx -> tx.preparedQuery(
                                "INSERT INTO messaging_test.effect (message_id, note) VALUES ($1, $2)")
                        .execute(Tuple.of(delivery.envelope().id(), request.description()))
                        .replaceWithVoid())
                .replaceWithVoid();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Uni<Void> onRetry(Delivery delivery, StageException failure, int nextAttempt) {
        RETRIES.add(delivery.envelope().id() + "#" + nextAttempt);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> onGiveUp(Delivery delivery, Throwable cause) {
        GIVE_UPS.add(delivery.envelope().id().toString());
        return Uni.createFrom().voidItem();
    }
}
