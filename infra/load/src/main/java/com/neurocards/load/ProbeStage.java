package com.neurocards.load;

import com.neurocards.contracts.QueueName;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;

/** The cheapest real stage: one idempotent transaction that records when the event was written and processed. */
@ApplicationScoped
public class ProbeStage implements StageConsumer {

    private final Transactions transactions;

    public ProbeStage(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public QueueName queue() {
        return QueueName.BILLING_DEBIT;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        return transactions
                .processOnce(delivery, tx -> tx.preparedQuery(
                                "INSERT INTO load.hop (message_id, written_at) VALUES ($1, $2)")
                        .execute(Tuple.of(
                                delivery.envelope().id(),
                                delivery.envelope().occurredAt().atOffset(ZoneOffset.UTC)))
                        .replaceWithVoid())
                .replaceWithVoid();
    }
}
