package com.neurocards.messaging.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    private static final String OWN = "neurocards-billing";

    @Test
    void anotherServicesMessageIsFromTheUserTheBrokerVouchedForWhateverHeaderItCarries() {
        assertThat(Provenance.publisherOf(
                        "neurocards-pipeline", Map.of(Provenance.ORIGINAL_PUBLISHER, "neurocards-gateway"), OWN))
                .isEqualTo("neurocards-pipeline");
    }

    @Test
    void ourOwnRetryIsFromTheUserItFirstCameFrom() {
        assertThat(Provenance.publisherOf(OWN, Map.of(Provenance.ORIGINAL_PUBLISHER, "neurocards-gateway"), OWN))
                .isEqualTo("neurocards-gateway");
    }

    @Test
    void nobodyVouchesForAMessageWithoutUserIdNorForOurOwnCopyWithoutTheHeader() {
        assertThat(Provenance.publisherOf(null, Map.of(Provenance.ORIGINAL_PUBLISHER, "neurocards-gateway"), OWN))
                .isNull();
        assertThat(Provenance.publisherOf("", Map.of(), OWN)).isNull();
        assertThat(Provenance.publisherOf(OWN, Map.of(), OWN)).isNull();
    }

    @Test
    void aCopySentOnCarriesTheVouchedPublisherAndNeverAForgedHeader() {
        assertThat(Provenance.forwarded(Map.of(Provenance.ORIGINAL_PUBLISHER, "forged", "x-job-id", "j"), null))
                .containsExactly(Map.entry("x-job-id", "j"));
        assertThat(Provenance.forwarded(Map.of(Provenance.ORIGINAL_PUBLISHER, "forged"), "neurocards-gateway"))
                .containsEntry(Provenance.ORIGINAL_PUBLISHER, "neurocards-gateway");
    }
}
