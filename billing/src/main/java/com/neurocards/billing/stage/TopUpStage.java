package com.neurocards.billing.stage;

import com.neurocards.billing.service.CreditService;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.PaymentRefunded;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code payment.received} → credit the pack once per Telegram charge → {@code credits.added}; {@code payment.refunded}
 * → take the pack's credits back once per charge, never below zero.
 */
@ApplicationScoped
public class TopUpStage implements StageConsumer {

    private final Transactions transactions;
    private final CreditService credits;

    public TopUpStage(Transactions transactions, CreditService credits) {
        this.transactions = transactions;
        this.credits = credits;
    }

    @Override
    public QueueName queue() {
        return QueueName.BILLING_TOPUP;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        if (delivery.envelope().payload() instanceof PaymentRefunded) {
            return transactions
                    .processOnce(delivery, tx -> credits.chargeBack(tx, delivery.envelope(PaymentRefunded.class))
                            .replaceWithVoid())
                    .replaceWithVoid();
        }
        return transactions
                .processOnce(delivery, tx -> credits.topUp(tx, delivery.envelope(PaymentReceived.class))
                        .replaceWithVoid())
                .replaceWithVoid();
    }
}
