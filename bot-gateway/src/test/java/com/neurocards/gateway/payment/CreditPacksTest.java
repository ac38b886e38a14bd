package com.neurocards.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CreditPacksTest {

    final CreditPacks packs = new CreditPacks(List.of("s:10:100", " m:30:250 "));

    @Test
    void aPreCheckoutMatchesOnlyAnInvoiceOfAPackOnSaleInStarsForItsPrice() {
        CreditPack m = packs.byId("m").orElseThrow();
        assertThat(packs.matching(m.payload(), "XTR", 250)).contains(m);
        assertThat(packs.matching(m.payload(), "USD", 250)).isEmpty();
        assertThat(packs.matching(m.payload(), "XTR", 1)).isEmpty();
        assertThat(packs.matching("pack:m:31:250", "XTR", 250)).isEmpty();
        assertThat(packs.matching("pack:x:30:250", "XTR", 250)).isEmpty();
        assertThat(packs.matching("garbage", "XTR", 250)).isEmpty();
        assertThat(packs.matching(null, "XTR", 250)).isEmpty();
    }

    @Test
    void aPaidInvoiceIsReadFromItsPayload() {
        assertThat(CreditPacks.fromPayload("pack:old:5:50")).contains(new CreditPack("old", 5, 50));
        assertThat(CreditPacks.fromPayload("pack:old")).isEmpty();
    }

    @Test
    void aMisconfiguredPackStopsTheService() {
        assertThatThrownBy(() -> new CreditPacks(List.of("s:ten:100"))).isInstanceOf(IllegalArgumentException.class);
    }
}
