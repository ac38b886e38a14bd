package com.neurocards.contracts.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelPricesTest {

    private static final Map<String, Long> CONFIGURED =
            Map.of("veo3_fast", 1L, "veo3", 3L, "sora-2-image-to-video", 2L);

    @Test
    void eachModelHasItsOwnPriceAndARequestWithoutAModelPaysTheDefaultModels() {
        ModelPrices prices = ModelPrices.of(CONFIGURED);

        assertThat(prices.of(VideoModel.VEO3_FAST)).isEqualTo(1);
        assertThat(prices.of(VideoModel.VEO3)).isEqualTo(3);
        assertThat(prices.of(VideoModel.SORA2)).isEqualTo(2);
        assertThat(prices.ofId("veo3")).hasValue(3);
        assertThat(prices.ofId(null)).hasValue(1);
        assertThat(prices.ofId("")).hasValue(1);
    }

    @Test
    void aModelThatIsNotOfferedHasNoPrice() {
        assertThat(ModelPrices.of(CONFIGURED).ofId("veo3_lite")).isEmpty();
        assertThat(ModelPrices.of(CONFIGURED).ofId("sora-2-pro-image-to-video")).isEmpty();
    }

    @Test
    void everyOfferedModelNeedsAPositivePrice() {
        assertThatThrownBy(() -> ModelPrices.of(Map.of("veo3_fast", 1L, "veo3", 3L)))
                .hasMessageContaining("sora-2-image-to-video")
                .hasMessageContaining("MODEL_PRICE_SORA2");
        assertThatThrownBy(() -> ModelPrices.of(Map.of("veo3_fast", 0L, "veo3", 3L, "sora-2-image-to-video", 2L)))
                .hasMessageContaining("MODEL_PRICE_VEO3_FAST");
    }

    @Test
    void modelsAreFoundByTheirKieNameAndByTheirButtonCodeAndSoraRendersOnTheMarketApi() {
        assertThat(VideoModel.byId("sora-2-image-to-video")).hasValue(VideoModel.SORA2);
        assertThat(VideoModel.byCode("quality")).hasValue(VideoModel.VEO3);
        assertThat(VideoModel.apiOf("sora-2-image-to-video")).isEqualTo(VideoModel.Api.MARKET);
        assertThat(VideoModel.apiOf("sora-2-pro-image-to-video")).isEqualTo(VideoModel.Api.MARKET);
        assertThat(VideoModel.apiOf("veo3")).isEqualTo(VideoModel.Api.VEO);
        assertThat(VideoModel.apiOf("veo3_lite")).isEqualTo(VideoModel.Api.VEO);
        assertThat(VideoModel.apiOf(null)).isEqualTo(VideoModel.Api.VEO);
    }
}
