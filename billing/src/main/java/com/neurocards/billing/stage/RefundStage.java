package com.neurocards.billing.stage;

import com.neurocards.billing.service.CreditService;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code generation.failed} → refund that job's price once → {@code credits.refunded}. */
@ApplicationScoped
public class RefundStage implements StageConsumer {

    private final Transactions transactions;
    private final CreditService credits;

    public RefundStage(Transactions transactions, CreditService credits) {
        this.transactions = transactions;
        this.credits = credits;
    }

    @Override
    public QueueName queue() {
        return QueueName.BILLING_REFUND;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        return transactions
                .processOnce(delivery, tx -> credits.refund(tx, delivery.envelope(GenerationFailed.class))
                        .replaceWithVoid())
                .replaceWithVoid();
    }
}
