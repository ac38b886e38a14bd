package com.neurocards.pipeline.kie;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.pipeline.error.ErrorClassifier;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Market's recordInfo read in Veo's terms, and the create body Sora 2 needs. */
class MarketRecordInfoTest {

    @ParameterizedTest
    @CsvSource({
        "waiting, 0",
        "queuing, 0",
        "queueing, 0",
        "generating, 0",
        "success, 1",
        "fail, 2",
        "SUCCESS, 1",
        "paused, -1",
        "'', -1"
    })
    void everyMarketStateMeansWhatVeosFlagWould(String state, int flag) {
        assertThat(RecordInfo.ofMarket("t", state, List.of("https://kie/v.mp4"), null, null)
                        .successFlag())
                .isEqualTo(flag);
    }

    @Test
    void aSuccessCarriesItsUrlsAndOnlyASuccessDoes() {
        assertThat(RecordInfo.ofMarket("t", "success", List.of("https://kie/v.mp4"), null, null)
                        .resultUrls())
                .containsExactly("https://kie/v.mp4");
        assertThat(RecordInfo.ofMarket("t", "generating", List.of("https://kie/v.mp4"), null, null)
                        .resultUrls())
                .isEmpty();
    }

    @Test
    void aFailCodeIsAStringReadAsANumberAndClassifiedLikeVeos() {
        RecordInfo content = RecordInfo.ofMarket(
                "t", "fail", List.of(), "400", "Your prompt was flagged as violating content policies");
        assertThat(content.errorCode()).isEqualTo(400);
        assertThat(ErrorClassifier.kieTaskFailure(content.errorCode(), content.errorMessage())
                        .errorClass())
                .isEqualTo(ErrorClass.USER);

        RecordInfo internal =
                RecordInfo.ofMarket("t", "fail", List.of(), "500", "Internal Error, Please try again later");
        assertThat(ErrorClassifier.kieTaskFailure(internal.errorCode(), internal.errorMessage())
                        .errorClass())
                .isEqualTo(ErrorClass.TEMPORARY);

        RecordInfo odd = RecordInfo.ofMarket("t", "fail", List.of(), "E_QUOTA", "something");
        assertThat(odd.errorCode()).isNull();
        assertThat(odd.errorMessage()).contains("E_QUOTA").contains("something");
    }

    @Test
    void soraIsAskedForAPortraitClipOfTenSecondsFromThePhotoWithEveryRequiredField() {
        KieApi.MarketCreate create = KieApi.MarketCreate.of(
                new VeoRequest("Slow push-in", "https://files/p.jpg", "sora-2-image-to-video", "9:16", " "));

        assertThat(create.model()).isEqualTo("sora-2-image-to-video");
        assertThat(create.callBackUrl()).isNull();
        assertThat(create.input().prompt()).isEqualTo("Slow push-in");
        assertThat(create.input().imageUrls()).containsExactly("https://files/p.jpg");
        assertThat(create.input().aspectRatio()).isEqualTo("portrait");
        assertThat(create.input().frames()).isEqualTo("10");
        assertThat(KieApi.MarketCreate.marketRatio("16:9")).isEqualTo("landscape");
        assertThat(KieApi.MarketCreate.marketRatio("1:1")).isEqualTo("portrait");
    }
}
