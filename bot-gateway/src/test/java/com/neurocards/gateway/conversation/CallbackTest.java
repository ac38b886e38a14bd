package com.neurocards.gateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.BotButtons;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallbackTest {

    static final long BIG = 999_999_999_999_999_999L;
    static final String JOB = UUID.randomUUID() + "-5";

    @Test
    void everyButtonRoundTripsAndFitsTelegramsSixtyFourBytes() {
        List<Callback> all = List.of(
                new Callback.Nav(Callback.Target.MENU),
                new Callback.Nav(Callback.Target.GENERATE),
                new Callback.Nav(Callback.Target.BUY),
                new Callback.Nav(Callback.Target.VIDEOS),
                new Callback.Nav(Callback.Target.HELP),
                new Callback.Nav(Callback.Target.LANGUAGE),
                new Callback.SetLanguage(Language.EN),
                new Callback.SetLanguage(Language.RU),
                new Callback.PickTemplate(BIG, Template.SELF),
                new Callback.SkipWishes(BIG),
                new Callback.PickCount(BIG, 5),
                new Callback.Confirm(BIG),
                new Callback.Confirm(BIG, new Draft(BIG, null, null, "d", null, null, null, null, 1, false).version()),
                new Callback.PickModel(BIG, VideoModel.VEO3_FAST),
                new Callback.PickModel(BIG, VideoModel.VEO3),
                new Callback.PickModel(BIG, VideoModel.SORA2),
                new Callback.EditField(BIG, Callback.Field.MODEL),
                new Callback.Edit(BIG),
                new Callback.Cancel(BIG),
                new Callback.EditField(BIG, Callback.Field.DESCRIPTION),
                new Callback.MakeMore(JOB),
                new Callback.Resend(JOB),
                new Callback.BuyPack("s"));
        for (Callback callback : all) {
            assertThat(callback.data().getBytes(StandardCharsets.UTF_8).length)
                    .as(callback.data())
                    .isLessThanOrEqualTo(Callback.MAX_BYTES);
            assertThat(Callback.parse(callback.data())).isEqualTo(callback);
        }
    }

    @Test
    void theMakeMoreButtonIsTheOneThePipelineSends() {
        assertThat(Callback.parse(BotButtons.makeMore(JOB))).isEqualTo(new Callback.MakeMore(JOB));
        assertThat(Callback.parse(BotButtons.MENU)).isEqualTo(new Callback.Nav(Callback.Target.MENU));
    }

    @Test
    void anythingElseIsInvalid() {
        for (String forged : new String[] {
            null,
            "",
            "tpl:1:XYZ",
            "tpl:0:UGC",
            "tpl:-1:UGC",
            "cnt:1:x",
            "ok:1:a-b",
            "ok:1:" + "a".repeat(13),
            "mdl:1:veo3_fast",
            "mdl:1:ultra",
            "mdl:1",
            "ok:",
            "ok:01",
            "ok:9999999999999999999",
            "more:",
            "more:a b",
            "more:../x",
            "pack:S",
            "lang:de",
            "x".repeat(65),
            "menu ",
            "edit:1:photo",
            "ed:1:everything",
            "nowish:1:2",
            "vid:" + "j".repeat(59),
            "tpl:1:ugc"
        }) {
            assertThat(Callback.parse(forged)).as(String.valueOf(forged)).isInstanceOf(Callback.Invalid.class);
        }
    }
}
