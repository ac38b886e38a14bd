package com.neurocards.gateway.conversation;

import com.neurocards.contracts.event.Language;

/**
 * One user's conversation as it is stored: the step, the open draft, and the numbers that let old buttons be told
 * apart from current ones.
 *
 * @param draftCounter       the number of the latest draft ever opened (the next one is {@code draftCounter + 1})
 * @param lastConfirmedDraft the number of the latest draft whose Confirm started a generation (0 = none)
 */
public record ConversationState(
        long userId,
        long chatId,
        Language language,
        Step step,
        Draft draft,
        long draftCounter,
        long lastConfirmedDraft) {

    public static ConversationState fresh(long userId, long chatId) {
        return fresh(userId, chatId, Language.DEFAULT);
    }

    /** A first contact: at the menu, in {@code language}. */
    public static ConversationState fresh(long userId, long chatId, Language language) {
        return new ConversationState(userId, chatId, language, Step.MENU, null, 0, 0);
    }

    public ConversationState at(Step next, Draft withDraft) {
        return new ConversationState(userId, chatId, language, next, withDraft, draftCounter, lastConfirmedDraft);
    }

    /** Back to the menu, dropping any open draft. */
    public ConversationState toMenu() {
        return at(Step.MENU, null);
    }

    /** Opens draft number {@code draftCounter + 1} at {@code step}. */
    public ConversationState openDraft(Step first, Draft seed) {
        long number = draftCounter + 1;
        Draft opened = seed == null
                ? Draft.start(number)
                : new Draft(number, seed.photo(), seed.photoKind(), seed.description(), null, null, null, 0, false);
        return new ConversationState(userId, chatId, language, first, opened, number, lastConfirmedDraft);
    }

    public ConversationState confirmed() {
        return new ConversationState(userId, chatId, language, Step.MENU, null, draftCounter, draft.number());
    }

    public ConversationState withLanguage(Language chosen) {
        return new ConversationState(userId, chatId, chosen, step, draft, draftCounter, lastConfirmedDraft);
    }

    public ConversationState withChat(long chat) {
        return new ConversationState(userId, chat, language, step, draft, draftCounter, lastConfirmedDraft);
    }

    public boolean hasDraft(long number) {
        return draft != null && draft.number() == number;
    }
}
