package com.neurocards.billing.stage;

import com.neurocards.billing.config.BillingConfig;
import com.neurocards.billing.service.CreditService;
import com.neurocards.contracts.BrokerUser;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.PaymentRefunded;
import com.neurocards.messaging.Transactions;
import com.neurocards.messaging.consumer.Delivery;
import com.neurocards.messaging.consumer.StageConsumer;
import com.neurocards.messaging.consumer.StageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code payment.received} → credit the pack once per Telegram charge → {@code credits.added}; {@code payment.refunded}
 * → take the pack's credits back once per charge, never below zero. Only a payment event the broker vouches was
 * published by a trusted user (the gateway's, by default) is applied: any other service, or anyone else who can reach
 * the broker, could otherwise mint (or take away) credits by publishing one. An untrusted one is refused at once —
 * dead-lettered with the publisher named, never retried — before anything is written.
 */
@ApplicationScoped
public class TopUpStage implements StageConsumer {

    private static final Logger LOG = Logger.getLogger(TopUpStage.class);

    private final Transactions transactions;
    private final CreditService credits;
    private final Set<String> trustedPublishers;

    public TopUpStage(Transactions transactions, CreditService credits, BillingConfig config) {
        this.transactions = transactions;
        this.credits = credits;
        this.trustedPublishers =
                Set.copyOf(config.trustedPaymentPublishers().orElse(List.of(BrokerUser.GATEWAY.defaultName())));
    }

    @Override
    public QueueName queue() {
        return QueueName.BILLING_TOPUP;
    }

    @Override
    public Uni<Void> handle(Delivery delivery) {
        String publisher = delivery.publisher();
        if (publisher == null || !trustedPublishers.contains(publisher)) {
            String who = publisher == null ? "no broker user (no user_id)" : "broker user '" + publisher + "'";
            LOG.errorf(
                    "Refused %s %s published by %s: only %s may report payments; not applied, sent to %s",
                    delivery.envelope().type(),
                    delivery.envelope().id(),
                    who,
                    trustedPublishers,
                    QueueName.BILLING_TOPUP.dlq());
            return Uni.createFrom()
                    .failure(new StageException(
                            ErrorClass.AUTH,
                            null,
                            delivery.envelope().type() + " published by " + who + ", not a trusted payment publisher"));
        }
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
