package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Twenty sellers at once, each through the whole conversation with the real gateway: 1, 3 or 5 videos, UGC, advert
 * or their own prompt. Every video arrives once, every request has exactly one progress message, every balance is
 * exact in billing and in the bot's menu, and no job is left in flight.
 */
@SystemConfiguration({
    // sixty videos: two KIE keys share the creates (each may make ~20 per 10 s), and a render is done at the second
    // look
    "KIE_EMULATOR_KEYS=kie-e2e-key-1,kie-e2e-key-2",
    "KIE_EMULATOR_RENDER_POLLS=1"
})
class TwentySellersIT extends WholeSystemTest {

    static final int SELLERS = 20;

    @Test
    void twentySellersGenerateAtOnceAndEveryVideoAndCreditAddsUp() throws Exception {
        List<Order> orders = placeOrders(SELLERS);
        int jobs = orders.stream().mapToInt(Order::count).sum();
        assertThat(orders).extracting(Order::template).contains(TEMPLATES);

        assertEveryOrderEndsWithItsVideosUnderOneProgressCard(orders, Duration.ofMinutes(5));

        for (Order order : orders) {
            long seller = order.chat().id();
            long expected = 10 - order.count();
            assertThat(balance(system.billing, seller))
                    .as("billing's balance of seller %d", seller)
                    .isEqualTo(expected);
            order.chat().send("/start");
            assertThat(order.chat().lastText())
                    .as("the menu of seller %d", seller)
                    .contains("Баланс: " + expected + " кр.");
        }
        assertThat(count("SELECT count(*) FROM pipeline.job")).isEqualTo(jobs);
        assertThat(count("SELECT count(*) FROM pipeline.job WHERE status <> 'DELIVERED'"))
                .as("jobs not delivered")
                .isZero();
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'DEBIT'"))
                .isEqualTo(SELLERS);
        assertThat(count("SELECT count(*) FROM billing.ledger_entry WHERE kind = 'REFUND'"))
                .isZero();
        assertThat(system.kie.creates().stream()
                        .filter(create -> create.code() == 200)
                        .count())
                .as("render tasks made at KIE: one per video")
                .isEqualTo(jobs);
    }
}
