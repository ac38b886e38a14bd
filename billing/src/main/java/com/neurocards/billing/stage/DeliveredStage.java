package com.neurocards.billing.stage;

import com.neurocards.billing.service.CreditService;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code generation.delivered} → the funded job is marked delivered (also when undeliverable: the seller blocked the
 * bot, no refund is due), so the {@link RefundBackstop} leaves it alone. Moves no credits.
 */
@ApplicationScoped
public class DeliveredStage implements StageConsumer {

    private final Transactions transactions;
    private final CreditService credits;

    public DeliveredStage(Transactions transactions, CreditService credits) {
        this.transactions = transactions;
        this.credits = credits;
    }

    @Override
    public QueueName queue() {
        return QueueName.BILLING_DELIVERED;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        GenerationDelivered delivered = delivery.payload(GenerationDelivered.class);
        return transactions
                .processOnce(
                        delivery,
                        tx -> credits.delivered(tx, delivered.job().jobId()).replaceWithVoid())
                .replaceWithVoid();
    }
}
