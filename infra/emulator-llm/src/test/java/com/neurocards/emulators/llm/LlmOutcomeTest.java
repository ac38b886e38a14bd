package com.neurocards.emulators.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LlmOutcomeTest {

    @Test
    void markers() {
        assertThat(LlmOutcome.fromMarkers("plain")).isNull();
        assertThat(LlmOutcome.fromMarkers("x [llm:fail=503]").status()).isEqualTo(503);
        LlmOutcome combined = LlmOutcome.fromMarkers("x [llm:slow=2s, fail=schema]");
        assertThat(combined.kind()).isEqualTo(LlmOutcome.Kind.SCHEMA_VIOLATION);
        assertThat(combined.delay()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> LlmOutcome.fromMarkers("[llm:fail=nope]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LlmOutcome.stripMarkers("Mug [llm:fail=500] on table")).isEqualTo("Mug on table");
    }

    @Test
    void productIsTakenFromTheLabelOrTheFirstSentence() {
        assertThat(PhraseBook.productOf("Product: ceramic mug. Style: cozy")).isEqualTo("ceramic mug");
        assertThat(PhraseBook.productOf("Товар: кружка керамическая; стиль")).isEqualTo("кружка керамическая");
        assertThat(PhraseBook.productOf("A red umbrella. Make it fun")).isEqualTo("A red umbrella");
        assertThat(PhraseBook.productOf("")).isEqualTo("the product");
    }
}
