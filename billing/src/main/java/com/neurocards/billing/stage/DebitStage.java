package com.neurocards.billing.stage;

import com.neurocards.billing.service.CreditService;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code generation.requested} → debit once → {@code generation.funded} or {@code generation.rejected}. */
@ApplicationScoped
public class DebitStage implements StageConsumer {

    private final Transactions transactions;
    private final CreditService credits;

    public DebitStage(Transactions transactions, CreditService credits) {
        this.transactions = transactions;
        this.credits = credits;
    }

    @Override
    public QueueName queue() {
        return QueueName.BILLING_DEBIT;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        return transactions
                .processOnce(delivery, tx -> credits.decide(tx, delivery.envelope(GenerationRequested.class))
                        .replaceWithVoid())
                .replaceWithVoid();
    }
}
