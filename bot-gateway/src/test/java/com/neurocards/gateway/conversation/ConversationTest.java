package com.neurocards.gateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.ModelPrices;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.gateway.conversation.Input.Command;
import com.neurocards.gateway.conversation.Input.DocumentMessage;
import com.neurocards.gateway.conversation.Input.PhotoMessage;
import com.neurocards.gateway.conversation.Input.Press;
import com.neurocards.gateway.conversation.Input.Text;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The conversation state machine alone: given a stored state and an input, the next state and what is shown. */
class ConversationTest {

    static final long USER = 42;
    static final Photo PHOTO = new Photo("photo-file", "photo-unique");

    final AtomicInteger ids = new AtomicInteger();
    final Conversation conversation = new Conversation(Rules.defaults(), () -> "req-" + ids.incrementAndGet());

    ConversationState state = ConversationState.fresh(USER, USER);
    Outcome last;

    Outcome when(Input input) {
        last = conversation.handle(state, input);
        state = last.state();
        return last;
    }

    Outcome press(Callback callback) {
        return when(new Press(callback, 10));
    }

    long draft() {
        return state.draft().number();
    }

    void toCount(Template template) {
        when(new Command("start", ""));
        press(new Callback.Nav(Callback.Target.GENERATE));
        when(new PhotoMessage(PHOTO, 1000));
        when(new Text("  Термокружка 450 мл  "));
        press(new Callback.PickTemplate(draft(), template));
        when(new Text(template == Template.SELF ? "my prompt" : "-"));
        press(new Callback.PickModel(draft(), VideoModel.VEO3_FAST));
    }

    /** Up to the card of {@code count} videos of {@code model}. */
    void toCard(VideoModel model, int count) {
        when(new Command("start", ""));
        press(new Callback.Nav(Callback.Target.GENERATE));
        when(new PhotoMessage(PHOTO, 1000));
        when(new Text("Термокружка"));
        press(new Callback.PickTemplate(draft(), Template.UGC));
        when(new Text("-"));
        press(new Callback.PickModel(draft(), model));
        press(new Callback.PickCount(draft(), count));
    }

    Reply.ConfirmCard card() {
        return (Reply.ConfirmCard) last.replies().get(last.replies().size() - 1);
    }

    static String firstKey(Outcome outcome) {
        return ((Reply.Message) outcome.replies().get(0)).key();
    }

    @Test
    void supportPaySupportAndHelpNameWhereToWriteAndKeepTheStep() {
        toCount(Template.AD);
        Step before = state.step();
        for (String command : List.of("support", "paysupport", "help")) {
            Reply.Message shown =
                    (Reply.Message) when(new Command(command, "")).replies().get(0);
            assertThat(shown.key()).isEqualTo(command);
            assertThat(shown.args()).containsExactly(Reply.Arg.SUPPORT_CONTACT);
            assertThat(state.step()).isEqualTo(before);
        }
    }

    @Test
    void startShowsTheMenuAndIsSafeToRepeat() {
        assertThat(when(new Command("start", "")).replies()).containsExactly(new Reply.Menu());
        assertThat(when(new Command("start", "")).replies()).containsExactly(new Reply.Menu());
        assertThat(state.step()).isEqualTo(Step.MENU);
        assertThat(state.draft()).isNull();
    }

    @Test
    void aWholeFlowEndsInOneRequestWithEverythingTheUserChose() {
        toCount(Template.UGC);
        assertThat(state.step()).isEqualTo(Step.AWAIT_COUNT);
        assertThat(last.replies()).containsExactly(new Reply.CountChoice(draft(), List.of(1, 3, 5), 1));

        press(new Callback.PickCount(draft(), 3));
        assertThat(state.step()).isEqualTo(Step.AWAIT_CONFIRM);
        assertThat(last.replies().get(0)).isInstanceOf(Reply.ConfirmCard.class);
        assertThat(((Reply.ConfirmCard) last.replies().get(0)).cost()).isEqualTo(3);

        long number = draft();
        Outcome confirmed = press(new Callback.Confirm(number));
        GenerationRequested request = confirmed.request();
        assertThat(request).isNotNull();
        assertThat(request.requestId()).isEqualTo("req-1");
        assertThat(request.userId()).isEqualTo(USER);
        assertThat(request.locale()).isEqualTo(Language.RU);
        assertThat(request.photo()).isEqualTo(PHOTO);
        assertThat(request.description()).isEqualTo("Термокружка 450 мл");
        assertThat(request.template()).isEqualTo(Template.UGC);
        assertThat(request.wishes()).as("'-' means none").isNull();
        assertThat(request.customPrompt()).isNull();
        assertThat(request.count()).isEqualTo(3);
        assertThat(request.model()).as("the default, cheapest model").isEqualTo("veo3_fast");
        assertThat(confirmed.callbackAnswerKey()).isEqualTo(Conversation.ANSWER_STARTED);
        assertThat(confirmed.replies()).containsExactly(new Reply.ClearButtons(10));
        assertThat(state.step()).isEqualTo(Step.MENU);
        assertThat(state.lastConfirmedDraft()).isEqualTo(number);

        Outcome again = press(new Callback.Confirm(number));
        assertThat(again.request()).isNull();
        assertThat(again.callbackAnswerKey()).isEqualTo(Conversation.ANSWER_ALREADY_STARTED);
        assertThat(again.replies()).isEmpty();
    }

    @Test
    void selfAsksForThePromptInsteadOfWishes() {
        toCount(Template.SELF);
        press(new Callback.PickCount(draft(), 1));
        GenerationRequested request = press(new Callback.Confirm(draft())).request();
        assertThat(request.customPrompt()).isEqualTo("my prompt");
        assertThat(request.wishes()).isNull();
    }

    @Test
    void aPhotoAtTheMenuStartsADraft() {
        when(new PhotoMessage(PHOTO, 1000));
        assertThat(state.step()).isEqualTo(Step.AWAIT_DESCRIPTION);
        assertThat(state.draft().photo()).isEqualTo(PHOTO);
    }

    @Test
    void photosThatCannotBeUsedAreRefusedWithAReason() {
        press(new Callback.Nav(Callback.Target.GENERATE));
        assertThat(firstKey(when(new PhotoMessage(PHOTO, 21L * 1024 * 1024)))).isEqualTo("photo.too_big");
        assertThat(firstKey(when(new DocumentMessage(PHOTO, "application/pdf", "a.pdf", 10))))
                .isEqualTo("photo.not_an_image");
        assertThat(firstKey(when(new DocumentMessage(PHOTO, "image/gif", "a.gif", 10))))
                .isEqualTo("photo.not_an_image");
        assertThat(firstKey(when(new DocumentMessage(PHOTO, "image/png", "a.png", 21L * 1024 * 1024))))
                .isEqualTo("photo.too_big");
        assertThat(firstKey(when(new Text("here")))).isEqualTo("hint.photo");
        assertThat(firstKey(when(new Input.Unsupported("sticker")))).isEqualTo("hint.photo");
        assertThat(state.step()).isEqualTo(Step.AWAIT_PHOTO);

        when(new DocumentMessage(PHOTO, null, "Product.WEBP", 10));
        assertThat(state.step()).isEqualTo(Step.AWAIT_DESCRIPTION);
        assertThat(state.draft().photoKind()).isEqualTo(PhotoKind.DOCUMENT);
    }

    @Test
    void textsAreCountedInCharactersCleanedAndBounded() {
        press(new Callback.Nav(Callback.Target.GENERATE));
        when(new PhotoMessage(PHOTO, 10));
        Outcome tooLong = when(new Text("😀".repeat(1001)));
        assertThat(tooLong.replies()).containsExactly(Reply.Message.of("text.too_long", 1001, 1000));
        assertThat(state.step()).isEqualTo(Step.AWAIT_DESCRIPTION);
        when(new Text("😀".repeat(1000)));
        assertThat(state.step()).isEqualTo(Step.AWAIT_TEMPLATE);

        state = ConversationState.fresh(USER, USER);
        press(new Callback.Nav(Callback.Target.GENERATE));
        when(new PhotoMessage(PHOTO, 10));
        when(new Text("a\u0000b\u0007c\nd"));
        assertThat(state.draft().description()).isEqualTo("abc\nd");
    }

    @Test
    void buttonsOfAnotherDraftOrAnotherStepAreOutdatedAndChangeNothing() {
        toCount(Template.AD);
        ConversationState before = state;
        long number = draft();
        for (Callback stale : new Callback[] {
            new Callback.PickTemplate(number, Template.UGC),
            new Callback.PickCount(number + 1, 3),
            new Callback.PickCount(number, 4),
            new Callback.PickModel(number, VideoModel.SORA2),
            new Callback.Confirm(number),
            new Callback.Edit(number),
            new Callback.SkipWishes(number),
            new Callback.EditField(number, Callback.Field.PHOTO),
            new Callback.Cancel(number - 1),
            new Callback.Invalid("x")
        }) {
            Outcome outcome = press(stale);
            assertThat(outcome.callbackAnswerKey()).as(stale.data()).isEqualTo(Conversation.ANSWER_OUTDATED);
            assertThat(outcome.replies()).as(stale.data()).isEmpty();
            assertThat(outcome.request()).isNull();
            assertThat(state).as(stale.data()).isEqualTo(before);
        }
    }

    @Test
    void makeMoreOpensANewDraftAtTheTemplateStepOnlyWithASource() {
        Outcome nothing = when(new Input.MakeMoreFrom(null));
        assertThat(nothing.callbackAnswerKey()).isEqualTo(Conversation.ANSWER_OUTDATED);
        assertThat(nothing.replies()).isEmpty();

        when(new Input.MakeMoreFrom(new Input.ProductSource(PHOTO, PhotoKind.PHOTO, "wallet")));
        assertThat(state.step()).isEqualTo(Step.AWAIT_TEMPLATE);
        assertThat(state.draft().photo()).isEqualTo(PHOTO);
        assertThat(state.draft().description()).isEqualTo("wallet");
        assertThat(state.draft().number()).isEqualTo(1);
        assertThat(firstKey(last)).isEqualTo("make_more.intro");
    }

    @Test
    void editingTheTemplateAsksItsFollowUpAndReturnsToTheCard() {
        toCount(Template.UGC);
        press(new Callback.PickCount(draft(), 5));
        press(new Callback.Edit(draft()));
        assertThat(state.step()).isEqualTo(Step.AWAIT_EDIT_CHOICE);
        press(new Callback.EditField(draft(), Callback.Field.TEMPLATE));
        press(new Callback.PickTemplate(draft(), Template.SELF));
        assertThat(state.step()).isEqualTo(Step.AWAIT_PROMPT);
        when(new Text("new prompt"));
        assertThat(state.step()).as("count kept, straight back to the card").isEqualTo(Step.AWAIT_CONFIRM);
        GenerationRequested request = press(new Callback.Confirm(draft())).request();
        assertThat(request.template()).isEqualTo(Template.SELF);
        assertThat(request.customPrompt()).isEqualTo("new prompt");
        assertThat(request.count()).isEqualTo(5);
    }

    @Test
    void cancelLeavesAnyStep() {
        toCount(Template.AD);
        Outcome cancelled = when(new Command("cancel", ""));
        assertThat(cancelled.replies()).containsExactly(Reply.Message.of("cancelled"), new Reply.Menu());
        assertThat(state.step()).isEqualTo(Step.MENU);
        assertThat(state.draft()).isNull();
        assertThat(state.draftCounter()).isEqualTo(1);
    }

    @Test
    void theLanguageChoiceSticks() {
        press(new Callback.SetLanguage(Language.EN));
        assertThat(state.language()).isEqualTo(Language.EN);
        toCount(Template.UGC);
        press(new Callback.PickCount(draft(), 1));
        assertThat(press(new Callback.Confirm(draft())).request().locale()).isEqualTo(Language.EN);
    }

    @Test
    void unknownCommandsGetAHintAndTheCurrentQuestionAgain() {
        toCount(Template.AD);
        Outcome outcome = when(new Command("frobnicate", ""));
        assertThat(firstKey(outcome)).isEqualTo("unknown_command");
        assertThat(outcome.replies().get(1)).isInstanceOf(Reply.CountChoice.class);
        assertThat(state.step()).isEqualTo(Step.AWAIT_COUNT);
    }

    // ---- models and prices -----------------------------------------------------------------------------------------

    @Test
    void afterTheTemplateTheSellerPicksTheModelEachButtonWithItsPricePerVideoTheDefaultFirst() {
        when(new Command("start", ""));
        press(new Callback.Nav(Callback.Target.GENERATE));
        when(new PhotoMessage(PHOTO, 1000));
        when(new Text("Термокружка"));
        press(new Callback.PickTemplate(draft(), Template.AD));
        when(new Text("-"));

        assertThat(state.step()).isEqualTo(Step.AWAIT_MODEL);
        Reply.Message question = (Reply.Message) last.replies().get(0);
        assertThat(question.key()).isEqualTo("ask.model");
        assertThat(question.buttons())
                .extracting(row -> row.get(0))
                .containsExactly(
                        Reply.Button.of(
                                "button.model.VEO3_FAST", new Callback.PickModel(draft(), VideoModel.VEO3_FAST), 1L),
                        Reply.Button.of("button.model.VEO3", new Callback.PickModel(draft(), VideoModel.VEO3), 3L),
                        Reply.Button.of("button.model.SORA2", new Callback.PickModel(draft(), VideoModel.SORA2), 2L),
                        Reply.Button.of("button.cancel", new Callback.Cancel(draft())));
        assertThat(firstKey(when(new Text("quality please")))).isEqualTo("hint.model");
        assertThat(state.step()).isEqualTo(Step.AWAIT_MODEL);
    }

    @Test
    void theCountAndTheCardArePricedByTheChosenModelAndTheRequestNamesIt() {
        toCard(VideoModel.VEO3, 3);
        assertThat(card().pricePerVideo()).isEqualTo(3);
        assertThat(card().cost()).isEqualTo(9);
        assertThat(press(new Callback.Confirm(draft(), state.draft().version()))
                        .request()
                        .model())
                .isEqualTo("veo3");

        state = ConversationState.fresh(USER + 1, USER + 1);
        when(new Command("start", ""));
        press(new Callback.Nav(Callback.Target.GENERATE));
        when(new PhotoMessage(PHOTO, 1000));
        when(new Text("Термокружка"));
        press(new Callback.PickTemplate(draft(), Template.SELF));
        when(new Text("my prompt"));
        press(new Callback.PickModel(draft(), VideoModel.SORA2));
        assertThat(last.replies()).containsExactly(new Reply.CountChoice(draft(), List.of(1, 3, 5), 2));
        press(new Callback.PickCount(draft(), 5));
        assertThat(card().cost()).isEqualTo(10);
        assertThat(press(new Callback.Confirm(draft())).request().model()).isEqualTo("sora-2-image-to-video");
    }

    @Test
    void aModelThatIsNotOfferedCannotBePicked() {
        Rules fastOnly = new Rules(
                ModelPrices.of(Map.of("veo3_fast", 1L, "veo3", 3L, "sora-2-image-to-video", 2L)),
                List.of(VideoModel.VEO3_FAST),
                List.of(1, 3, 5),
                1000,
                1000,
                2000,
                20L * 1024 * 1024,
                "9:16");
        Conversation limited = new Conversation(fastOnly, () -> "req");
        ConversationState at = ConversationState.fresh(USER, USER)
                .openDraft(Step.AWAIT_MODEL, null)
                .at(
                        Step.AWAIT_MODEL,
                        new Draft(1, PHOTO, PhotoKind.PHOTO, "d", Template.AD, "-", null, null, 0, false));

        Outcome sora = limited.handle(at, new Press(new Callback.PickModel(1, VideoModel.SORA2), 10));

        assertThat(sora.callbackAnswerKey()).isEqualTo(Conversation.ANSWER_OUTDATED);
        assertThat(sora.state()).isEqualTo(at);
    }

    @Test
    void theModelCanBeChangedFromTheCardAndTheCardIsRepricedAtOnce() {
        toCard(VideoModel.VEO3_FAST, 3);
        press(new Callback.Edit(draft()));
        press(new Callback.EditField(draft(), Callback.Field.MODEL));
        assertThat(state.step()).isEqualTo(Step.AWAIT_MODEL);
        press(new Callback.PickModel(draft(), VideoModel.VEO3));
        assertThat(state.step()).as("count kept, straight back to the card").isEqualTo(Step.AWAIT_CONFIRM);
        assertThat(card().cost()).isEqualTo(9);
        assertThat(press(new Callback.Confirm(draft())).request().model()).isEqualTo("veo3");
    }

    // ---- outdated Confirm says which it is ------------------------------------------------------------------------

    @Test
    void theConfirmOfACardShownBeforeTheOrderChangedStartsNothingAndSaysSo() {
        toCard(VideoModel.VEO3_FAST, 1);
        String before = state.draft().version();
        press(new Callback.Edit(draft()));
        press(new Callback.EditField(draft(), Callback.Field.COUNT));
        press(new Callback.PickCount(draft(), 5));
        String after = state.draft().version();
        assertThat(after).isNotEqualTo(before);
        ConversationState atNewCard = state;

        Outcome old = press(new Callback.Confirm(draft(), before));

        assertThat(old.request()).isNull();
        assertThat(old.callbackAnswerKey()).isEqualTo(Conversation.ANSWER_CARD_CHANGED);
        assertThat(state).isEqualTo(atNewCard);
        assertThat(press(new Callback.Confirm(draft(), after)).request().count())
                .isEqualTo(5);
    }

    @Test
    void aConfirmOfAnotherCardSaysWhetherItsOrderStartedWasRejectedOrWasNeverConfirmed() {
        toCard(VideoModel.VEO3_FAST, 1);
        long open = draft();
        ConversationState atCard = state;

        assertThat(when(new Input.PastConfirm(open - 1, Input.OrderFate.STARTED))
                        .callbackAnswerKey())
                .isEqualTo(Conversation.ANSWER_ALREADY_STARTED);
        assertThat(when(new Input.PastConfirm(open - 1, Input.OrderFate.REJECTED))
                        .callbackAnswerKey())
                .isEqualTo(Conversation.ANSWER_REJECTED);
        assertThat(when(new Input.PastConfirm(open - 1, Input.OrderFate.NOT_CONFIRMED))
                        .callbackAnswerKey())
                .isEqualTo(Conversation.ANSWER_OUTDATED);
        assertThat(state).as("none of them changes anything").isEqualTo(atCard);

        press(new Callback.Edit(open));
        press(new Callback.EditField(open, Callback.Field.COUNT));
        assertThat(when(new Input.PastConfirm(open, Input.OrderFate.NOT_CONFIRMED))
                        .callbackAnswerKey())
                .as("the open order, being changed")
                .isEqualTo(Conversation.ANSWER_CARD_CHANGED);
        assertThat(last.request()).isNull();
    }

    // ---- a rejected order is kept ---------------------------------------------------------------------------------

    @Test
    void aKeptOrderWaitsOnItsCardUnderANewNumberAndOnePressStartsItAgain() {
        toCard(VideoModel.VEO3, 5);
        Draft confirmed = state.draft();
        press(new Callback.Confirm(confirmed.number()));
        assertThat(state.step()).isEqualTo(Step.MENU);

        state = state.keep(confirmed);

        assertThat(state.step()).isEqualTo(Step.AWAIT_CONFIRM);
        assertThat(state.kept()).isTrue();
        assertThat(state.draft().number()).isEqualTo(confirmed.number() + 1);
        assertThat(state.draftCounter()).isEqualTo(confirmed.number() + 1);
        Outcome again = press(new Callback.Confirm(draft(), state.draft().version()));
        assertThat(again.request().model()).isEqualTo("veo3");
        assertThat(again.request().count()).isEqualTo(5);
        assertThat(again.request().description()).isEqualTo("Термокружка");
        assertThat(state.kept()).isFalse();
        assertThat(state.lastConfirmedDraft()).isEqualTo(confirmed.number() + 1);
    }

    @Test
    void aKeptOrderStaysKeptWhileEditedAndIsForgottenWhenTheSellerLeavesIt() {
        toCard(VideoModel.VEO3_FAST, 3);
        Draft confirmed = state.draft();
        press(new Callback.Confirm(confirmed.number()));
        state = state.keep(confirmed);

        press(new Callback.Edit(draft()));
        press(new Callback.EditField(draft(), Callback.Field.COUNT));
        press(new Callback.PickCount(draft(), 1));
        assertThat(state.kept()).isTrue();
        assertThat(card().cost()).isEqualTo(1);

        when(new Command("start", ""));
        assertThat(state.kept()).isFalse();
        assertThat(state.draft()).isNull();
    }
}
