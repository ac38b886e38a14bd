package com.neurocards.gateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.model.ModelPrices;
import com.neurocards.contracts.model.VideoModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The menu and the packs quote "videos from …": the lowest price among the models offered, whichever it is. */
class RulesTest {

    @Test
    void theMenuQuotesTheCheapestOfferedModelEvenWhenItIsNotTheDefault() {
        Rules rules = withPrices(Map.of("veo3_fast", 4L, "veo3", 9L, "sora-2-image-to-video", 3L), VideoModel.values());

        assertThat(rules.cheapestPrice()).isEqualTo(3);
        assertThat(rules.priceOf(VideoModel.DEFAULT)).isEqualTo(4);
    }

    @Test
    void aModelNotOfferedIsNotQuoted() {
        Rules rules = withPrices(Map.of("veo3_fast", 4L, "veo3", 9L, "sora-2-image-to-video", 1L), VideoModel.DEFAULT);

        assertThat(rules.cheapestPrice()).isEqualTo(4);
    }

    @Test
    void theDefaultsQuoteOneCredit() {
        assertThat(Rules.defaults().cheapestPrice()).isEqualTo(1);
    }

    private static Rules withPrices(Map<String, Long> prices, VideoModel... offered) {
        Rules defaults = Rules.defaults();
        return new Rules(
                ModelPrices.of(prices),
                List.of(offered),
                defaults.counts(),
                defaults.descriptionMaxChars(),
                defaults.wishesMaxChars(),
                defaults.promptMaxChars(),
                defaults.photoMaxBytes(),
                defaults.aspectRatio());
    }
}
