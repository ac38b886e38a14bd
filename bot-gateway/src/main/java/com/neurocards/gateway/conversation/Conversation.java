package com.neurocards.gateway.conversation;

import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.gateway.conversation.Callback.Field;
import com.neurocards.gateway.conversation.Input.Command;
import com.neurocards.gateway.conversation.Input.DocumentMessage;
import com.neurocards.gateway.conversation.Input.MakeMoreFrom;
import com.neurocards.gateway.conversation.Input.PhotoMessage;
import com.neurocards.gateway.conversation.Input.Press;
import com.neurocards.gateway.conversation.Input.Text;
import com.neurocards.gateway.conversation.Reply.Button;
import com.neurocards.gateway.conversation.Reply.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The seller's conversation (docs/architecture.md#what-a-seller-does) as a state machine: (stored state, input) →
 * (new state, replies, at most one generation request). Plain Java without I/O, so every path is unit-testable; the
 * service around it loads and saves the state in one transaction per update and renders the replies.
 *
 * <p>Wrong input for a step gets a hint and keeps the step. A button that belongs to another draft or another step
 * is "outdated" and changes nothing; Confirm of a card that is not the open order's says truthfully why: the order was
 * changed since (a newer card), already started, or rejected for credits.
 */
public final class Conversation {

    /** Message keys of callback answers. */
    public static final String ANSWER_OK = "";

    public static final String ANSWER_OUTDATED = "answer.outdated";
    public static final String ANSWER_ALREADY_STARTED = "answer.already_started";
    public static final String ANSWER_STARTED = "answer.started";
    public static final String ANSWER_CARD_CHANGED = "answer.card_changed";
    public static final String ANSWER_REJECTED = "answer.rejected";

    private final Rules rules;
    private final Supplier<String> requestIds;

    public Conversation(Rules rules, Supplier<String> requestIds) {
        this.rules = rules;
        this.requestIds = requestIds;
    }

    public Outcome handle(ConversationState state, Input input) {
        if (input instanceof Command command) {
            return command(state, command);
        }
        if (input instanceof Press press) {
            return press(state, press.callback(), press.messageId());
        }
        if (input instanceof MakeMoreFrom more) {
            return makeMore(state, more.source());
        }
        if (input instanceof Input.PastConfirm past) {
            return pastConfirm(state, past);
        }
        return message(state, input);
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    private Outcome command(ConversationState state, Command command) {
        return switch (command.name()) {
            case "start", "menu" -> show(state.toMenu(), new Reply.Menu());
            case "cancel" -> state.step() == Step.MENU
                    ? show(state, new Reply.Menu())
                    : show(state.toMenu(), Message.of("cancelled"), new Reply.Menu());
            case "generate", "new" -> startDraft(state);
            case "help" -> show(state, help());
            case "language", "lang" -> show(state, languageChoice());
            case "buy" -> show(state, new Reply.Packs());
            case "videos" -> show(state, new Reply.MyVideos());
            case "paysupport" -> show(state, Message.of("paysupport", Reply.Arg.SUPPORT_CONTACT));
            case "support" -> show(state, Message.of("support", Reply.Arg.SUPPORT_CONTACT));
            default -> show(state, Message.of("unknown_command"), reprompt(state));
        };
    }

    // ---- messages ----------------------------------------------------------------------------------------------

    private Outcome message(ConversationState state, Input input) {
        Draft draft = state.draft();
        return switch (state.step()) {
            case MENU -> input instanceof PhotoMessage || input instanceof DocumentMessage
                    // A photo at the menu is an obvious start: take it as the product photo.
                    ? photo(state.openDraft(Step.AWAIT_PHOTO, null), input)
                    : show(state, Message.of("hint.menu"), new Reply.Menu());
            case AWAIT_PHOTO -> photo(state, input);
            case AWAIT_DESCRIPTION -> input instanceof Text text
                    ? text(
                            state,
                            text,
                            rules.descriptionMaxChars(),
                            "hint.description",
                            value -> advance(state, draft.withDescription(value)))
                    : show(state, Message.of("hint.description"));
            case AWAIT_TEMPLATE -> show(state, Message.of("hint.template"), templateChoice(draft));
            case AWAIT_WISHES -> input instanceof Text text
                    ? text(
                            state,
                            text,
                            rules.wishesMaxChars(),
                            "hint.wishes",
                            value -> advance(state, draft.withWishes(isNone(value) ? Draft.NO_WISHES : value)))
                    : show(state, Message.of("hint.wishes"), wishesQuestion(draft));
            case AWAIT_PROMPT -> input instanceof Text text
                    ? text(
                            state,
                            text,
                            rules.promptMaxChars(),
                            "hint.prompt",
                            value -> advance(state, draft.withCustomPrompt(value)))
                    : show(state, Message.of("hint.prompt"));
            case AWAIT_MODEL -> show(state, Message.of("hint.model"), modelChoice(draft));
            case AWAIT_COUNT -> show(state, Message.of("hint.count"), countChoice(draft));
            case AWAIT_CONFIRM, AWAIT_EDIT_CHOICE -> show(state, Message.of("hint.confirm"));
        };
    }

    private Outcome photo(ConversationState state, Input input) {
        Draft draft = state.draft();
        if (input instanceof PhotoMessage photo) {
            if (photo.sizeBytes() > rules.photoMaxBytes()) {
                return show(state, Message.of("photo.too_big", megabytes(rules.photoMaxBytes())));
            }
            return advance(state, draft.withPhoto(photo.photo(), PhotoKind.PHOTO));
        }
        if (input instanceof DocumentMessage document) {
            if (!isImage(document)) {
                return show(state, Message.of("photo.not_an_image"));
            }
            if (document.sizeBytes() > rules.photoMaxBytes()) {
                return show(state, Message.of("photo.too_big", megabytes(rules.photoMaxBytes())));
            }
            return advance(state, draft.withPhoto(document.file(), PhotoKind.DOCUMENT));
        }
        return show(state, Message.of("hint.photo"));
    }

    private interface TextStep {
        Outcome accept(String value);
    }

    private Outcome text(ConversationState state, Text text, int maxChars, String hintKey, TextStep step) {
        String value = clean(text.text());
        if (value.isEmpty()) {
            return show(state, Message.of(hintKey));
        }
        int length = value.codePointCount(0, value.length());
        if (length > maxChars) {
            return show(state, Message.of("text.too_long", length, maxChars));
        }
        return step.accept(value);
    }

    // ---- buttons -----------------------------------------------------------------------------------------------

    private Outcome press(ConversationState state, Callback callback, Integer messageId) {
        Draft draft = state.draft();
        if (callback instanceof Callback.Nav nav) {
            return navigate(state, nav.target());
        }
        if (callback instanceof Callback.SetLanguage set) {
            return answered(
                    show(state.withLanguage(set.language()).toMenu(), Message.of("language.set"), new Reply.Menu()));
        }
        if (callback instanceof Callback.PickTemplate pick && at(state, Step.AWAIT_TEMPLATE, pick.draft())) {
            Draft chosen = draft.withTemplate(pick.template());
            return pick.template() == Template.SELF
                    ? answered(
                            show(state.at(Step.AWAIT_PROMPT, chosen), Message.of("ask.prompt", rules.promptMaxChars())))
                    : answered(show(state.at(Step.AWAIT_WISHES, chosen), wishesQuestion(chosen)));
        }
        if (callback instanceof Callback.SkipWishes skip && at(state, Step.AWAIT_WISHES, skip.draft())) {
            return answered(advance(state, draft.withWishes(Draft.NO_WISHES)));
        }
        if (callback instanceof Callback.PickModel pick
                && at(state, Step.AWAIT_MODEL, pick.draft())
                && rules.models().contains(pick.model())) {
            return answered(advance(state, draft.withModel(pick.model())));
        }
        if (callback instanceof Callback.PickCount pick
                && at(state, Step.AWAIT_COUNT, pick.draft())
                && rules.counts().contains(pick.count())) {
            return answered(advance(state, draft.withCount(pick.count())));
        }
        if (callback instanceof Callback.Confirm confirm) {
            if (onCard(state, confirm.draft())) {
                if (confirm.version() != null && !confirm.version().equals(draft.version())) {
                    // a card shown before the order was changed: the seller never saw what it would start
                    return outcome(state, List.of(), ANSWER_CARD_CHANGED, null);
                }
                return confirm(state, messageId);
            }
            if (confirm.draft() == state.lastConfirmedDraft()) {
                return outcome(state, List.of(), ANSWER_ALREADY_STARTED, null);
            }
        }
        if (callback instanceof Callback.Edit edit && onCard(state, edit.draft())) {
            return answered(show(state.at(Step.AWAIT_EDIT_CHOICE, draft), editChoice(draft)));
        }
        if (callback instanceof Callback.EditField field && at(state, Step.AWAIT_EDIT_CHOICE, field.draft())) {
            return answered(edit(state, field.field()));
        }
        if (callback instanceof Callback.Cancel cancel && state.hasDraft(cancel.draft())) {
            return answered(show(state.toMenu(), Message.of("cancelled"), new Reply.Menu()));
        }
        if (callback instanceof Callback.Resend resend) {
            return answered(show(state, new Reply.ResendVideo(resend.jobId())));
        }
        if (callback instanceof Callback.BuyPack buy) {
            return answered(show(state, new Reply.Invoice(buy.packId())));
        }
        // Another draft's button, a step already passed, forged data, or a job button not resolved for this user.
        return outcome(state, List.of(), ANSWER_OUTDATED, null);
    }

    private Outcome navigate(ConversationState state, Callback.Target target) {
        return answered(
                switch (target) {
                    case MENU -> show(state.toMenu(), new Reply.Menu());
                    case GENERATE -> startDraft(state);
                    case BUY -> show(state, new Reply.Packs());
                    case VIDEOS -> show(state, new Reply.MyVideos());
                    case HELP -> show(state, help());
                    case LANGUAGE -> show(state, languageChoice());
                });
    }

    private Outcome makeMore(ConversationState state, Input.ProductSource source) {
        if (source == null) {
            return outcome(state, List.of(), ANSWER_OUTDATED, null);
        }
        Draft seed = Draft.seeded(0, source.photo(), source.photoKind(), source.description());
        ConversationState next = state.openDraft(Step.AWAIT_TEMPLATE, seed);
        return answered(show(next, Message.of("make_more.intro"), templateChoice(next.draft())));
    }

    private Outcome confirm(ConversationState state, Integer cardMessageId) {
        Draft draft = state.draft();
        GenerationRequested request = new GenerationRequested(
                requestIds.get(),
                state.userId(),
                state.chatId(),
                state.language(),
                draft.photo(),
                draft.description(),
                draft.template(),
                draft.wishesOrNull(),
                draft.customPrompt(),
                draft.count(),
                draft.modelOrDefault().id(),
                rules.aspectRatio(),
                cardMessageId);
        // The card stays: its buttons go (an edit that leaves the caption alone, so it cannot race the pipeline's
        // caption edits), and the pipeline shows the request's progress in its caption (docs/architecture.md).
        List<Reply> replies = cardMessageId == null ? List.of() : List.of(new Reply.ClearButtons(cardMessageId));
        return outcome(state.confirmed(), replies, ANSWER_STARTED, request);
    }

    private Outcome edit(ConversationState state, Field field) {
        Draft draft = state.draft().editing(true);
        return switch (field) {
            case PHOTO -> show(state.at(Step.AWAIT_PHOTO, draft), Message.of("ask.photo"));
            case DESCRIPTION -> show(
                    state.at(Step.AWAIT_DESCRIPTION, draft),
                    Message.of("ask.description", rules.descriptionMaxChars()));
            case TEMPLATE -> show(state.at(Step.AWAIT_TEMPLATE, draft), templateChoice(draft));
            case MODEL -> show(state.at(Step.AWAIT_MODEL, draft), modelChoice(draft));
            case COUNT -> show(state.at(Step.AWAIT_COUNT, draft), countChoice(draft));
        };
    }

    // ---- moving on ---------------------------------------------------------------------------------------------

    private Outcome startDraft(ConversationState state) {
        ConversationState next = state.openDraft(Step.AWAIT_PHOTO, null);
        return show(
                next,
                Message.of("ask.photo")
                        .withButtons(List.of(List.of(Button.of(
                                "button.cancel",
                                new Callback.Cancel(next.draft().number()))))));
    }

    /** After a step's answer: the next missing piece, or the card when everything is there. */
    private Outcome advance(ConversationState state, Draft draft) {
        if (draft.photo() == null) {
            return show(state.at(Step.AWAIT_PHOTO, draft), Message.of("ask.photo"));
        }
        if (draft.description() == null) {
            return show(
                    state.at(Step.AWAIT_DESCRIPTION, draft),
                    Message.of("ask.description", rules.descriptionMaxChars()));
        }
        if (draft.template() == null) {
            return show(state.at(Step.AWAIT_TEMPLATE, draft), templateChoice(draft));
        }
        if (draft.template() == Template.SELF && draft.customPrompt() == null) {
            return show(state.at(Step.AWAIT_PROMPT, draft), Message.of("ask.prompt", rules.promptMaxChars()));
        }
        if (draft.template() != Template.SELF && draft.wishes() == null) {
            return show(state.at(Step.AWAIT_WISHES, draft), wishesQuestion(draft));
        }
        if (draft.model() == null) {
            return show(state.at(Step.AWAIT_MODEL, draft), modelChoice(draft));
        }
        if (draft.count() == 0) {
            return show(state.at(Step.AWAIT_COUNT, draft), countChoice(draft));
        }
        Draft done = draft.editing(false);
        return show(state.at(Step.AWAIT_CONFIRM, done), card(done));
    }

    /** The card of a complete draft, priced by its model. */
    public Reply.ConfirmCard card(Draft draft) {
        return new Reply.ConfirmCard(draft, rules.priceOf(draft.modelOrDefault()), rules.costOf(draft));
    }

    /** Confirm of a card that is not the open order's, once its order was looked up: say truthfully what it is. */
    private Outcome pastConfirm(ConversationState state, Input.PastConfirm past) {
        String answer =
                switch (past.fate()) {
                    case STARTED -> ANSWER_ALREADY_STARTED;
                    case REJECTED -> ANSWER_REJECTED;
                        // the open order, changed since this card (it is being edited): its own card will come
                    case NOT_CONFIRMED -> state.hasDraft(past.draft()) ? ANSWER_CARD_CHANGED : ANSWER_OUTDATED;
                };
        return outcome(state, List.of(), answer, null);
    }

    /** The question of the current step again, after a command that did not change it. */
    private Reply reprompt(ConversationState state) {
        Draft draft = state.draft();
        return switch (state.step()) {
            case MENU -> new Reply.Menu();
            case AWAIT_PHOTO -> Message.of("ask.photo");
            case AWAIT_DESCRIPTION -> Message.of("ask.description", rules.descriptionMaxChars());
            case AWAIT_TEMPLATE -> templateChoice(draft);
            case AWAIT_WISHES -> wishesQuestion(draft);
            case AWAIT_PROMPT -> Message.of("ask.prompt", rules.promptMaxChars());
            case AWAIT_MODEL -> modelChoice(draft);
            case AWAIT_COUNT -> countChoice(draft);
            case AWAIT_CONFIRM -> card(draft);
            case AWAIT_EDIT_CHOICE -> editChoice(draft);
        };
    }

    // ---- the questions -----------------------------------------------------------------------------------------

    private Message templateChoice(Draft draft) {
        long n = draft.number();
        return Message.of("ask.template")
                .withButtons(List.of(
                        List.of(Button.of("button.template.ugc", new Callback.PickTemplate(n, Template.UGC))),
                        List.of(Button.of("button.template.ad", new Callback.PickTemplate(n, Template.AD))),
                        List.of(Button.of("button.template.self", new Callback.PickTemplate(n, Template.SELF))),
                        List.of(Button.of("button.cancel", new Callback.Cancel(n)))));
    }

    private Message wishesQuestion(Draft draft) {
        return Message.of("ask.wishes", rules.wishesMaxChars())
                .withButtons(List.of(List.of(Button.of("button.no_wishes", new Callback.SkipWishes(draft.number())))));
    }

    /** The models, each with its price per video, the default (cheapest) first. */
    private Message modelChoice(Draft draft) {
        long n = draft.number();
        List<List<Button>> rows = new ArrayList<>();
        for (VideoModel model : rules.models()) {
            rows.add(List.of(
                    Button.of("button.model." + model.name(), new Callback.PickModel(n, model), rules.priceOf(model))));
        }
        rows.add(List.of(Button.of("button.cancel", new Callback.Cancel(n))));
        return Message.of("ask.model").withButtons(rows);
    }

    private Reply countChoice(Draft draft) {
        return new Reply.CountChoice(draft.number(), rules.counts(), rules.priceOf(draft.modelOrDefault()));
    }

    private Message editChoice(Draft draft) {
        long n = draft.number();
        return Message.of("ask.edit")
                .withButtons(List.of(
                        List.of(
                                Button.of("button.edit.photo", new Callback.EditField(n, Field.PHOTO)),
                                Button.of("button.edit.description", new Callback.EditField(n, Field.DESCRIPTION))),
                        List.of(
                                Button.of("button.edit.template", new Callback.EditField(n, Field.TEMPLATE)),
                                Button.of("button.edit.model", new Callback.EditField(n, Field.MODEL))),
                        List.of(Button.of("button.edit.count", new Callback.EditField(n, Field.COUNT))),
                        List.of(Button.of("button.cancel", new Callback.Cancel(n)))));
    }

    private static Message help() {
        return Message.of("help", Reply.Arg.SUPPORT_CONTACT)
                .withButtons(List.of(List.of(Button.of("button.menu", new Callback.Nav(Callback.Target.MENU)))));
    }

    private static Message languageChoice() {
        return Message.of("ask.language")
                .withButtons(List.of(List.of(
                        Button.of("button.language.ru", new Callback.SetLanguage(Language.RU)),
                        Button.of("button.language.en", new Callback.SetLanguage(Language.EN)))));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static boolean at(ConversationState state, Step step, long draft) {
        return state.step() == step && state.hasDraft(draft);
    }

    /** Whether {@code draft} is the open order, on its card (or choosing what to edit on it). */
    static boolean onCard(ConversationState state, long draft) {
        return (state.step() == Step.AWAIT_CONFIRM || state.step() == Step.AWAIT_EDIT_CHOICE)
                && state.hasDraft(draft)
                && state.draft().complete();
    }

    private static boolean isImage(DocumentMessage document) {
        String mime = document.mimeType() == null ? "" : document.mimeType().toLowerCase(Locale.ROOT);
        if (!mime.isEmpty()) {
            return Rules.IMAGE_TYPES.contains(mime);
        }
        String name = document.fileName() == null ? "" : document.fileName().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png") || name.endsWith(".webp");
    }

    private static boolean isNone(String value) {
        return value.equals("-") || value.equals("—") || value.equals("–");
    }

    /** Trims and drops control characters (except line breaks), which nothing downstream should see. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(c -> c == '\n' || !Character.isISOControl(c)).forEach(out::appendCodePoint);
        return out.toString().strip();
    }

    private static long megabytes(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static Outcome show(ConversationState state, Reply... replies) {
        return new Outcome(state, List.of(replies), null, null);
    }

    private static Outcome answered(Outcome outcome) {
        return new Outcome(outcome.state(), outcome.replies(), ANSWER_OK, outcome.request());
    }

    private static Outcome outcome(
            ConversationState state, List<Reply> replies, String answer, GenerationRequested request) {
        return new Outcome(state, new ArrayList<>(replies), answer, request);
    }
}
