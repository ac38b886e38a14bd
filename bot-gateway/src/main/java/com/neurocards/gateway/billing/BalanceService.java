package com.neurocards.gateway.billing;

import com.neurocards.gateway.repository.BalanceRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The balance to show: billing's answer when it comes in time, else the last one seen, else "unknown". */
@ApplicationScoped
public class BalanceService {

    private static final Logger LOG = Logger.getLogger(BalanceService.class);

    /** A balance as shown to a user. */
    public record Shown(Optional<Long> amount, boolean fresh) {
        public static Shown unknown() {
            return new Shown(Optional.empty(), false);
        }
    }

    private final BillingClient billing;
    private final BalanceRepository balances;

    public BalanceService(BillingClient billing, BalanceRepository balances) {
        this.billing = billing;
        this.balances = balances;
    }

    public Uni<Shown> balanceOf(long userId) {
        return billing.balance(userId)
                .call(balance -> balances.remember(userId, balance, OffsetDateTime.now())
                        .onFailure()
                        .recoverWithNull())
                .map(balance -> new Shown(Optional.of(balance), true))
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.debugf(
                            "Balance of %d from billing failed (%s); showing the last one seen",
                            userId, failure.getMessage());
                    return balances.lastKnown(userId)
                            .map(last -> new Shown(last, false))
                            .onFailure()
                            .recoverWithItem(Shown.unknown());
                });
    }
}
