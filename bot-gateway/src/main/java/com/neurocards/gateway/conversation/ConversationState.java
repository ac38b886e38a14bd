package com.neurocards.gateway.conversation;

import com.neurocards.contracts.event.Language;

/**
 * One user's conversation as it is stored: the step, the open draft, and the numbers that let old buttons be told
 * apart from current ones.
 *
 * @param draftCounter       the number of the latest draft ever opened (the next one is {@code draftCounter + 1})
 * @param lastConfirmedDraft the number of the latest draft whose Confirm started a generation (0 = none)
 * @param kept               the open draft is an order billing rejected for credits, kept for the seller: a top-up
 *                           offers its card again
 */
public record ConversationState(
        long userId,
        long chatId,
        Language language,
        Step step,
        Draft draft,
        long draftCounter,
        long lastConfirmedDraft,
        boolean kept) {

    public ConversationState(
            long userId,
            long chatId,
            Language language,
            Step step,
            Draft draft,
            long draftCounter,
            long lastConfirmedDraft) {
        this(userId, chatId, language, step, draft, draftCounter, lastConfirmedDraft, false);
    }

    public static ConversationState fresh(long userId, long chatId) {
        return fresh(userId, chatId, Language.DEFAULT);
    }

    /** A first contact: at the menu, in {@code language}. */
    public static ConversationState fresh(long userId, long chatId, Language language) {
        return new ConversationState(userId, chatId, language, Step.MENU, null, 0, 0);
    }

    /** The same draft at another step (a kept order stays kept while it is the one open); another draft is not kept. */
    public ConversationState at(Step next, Draft withDraft) {
        boolean stillKept = kept && withDraft != null && draft != null && withDraft.number() == draft.number();
        return new ConversationState(
                userId, chatId, language, next, withDraft, draftCounter, lastConfirmedDraft, stillKept);
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
                : Draft.seeded(number, seed.photo(), seed.photoKind(), seed.description());
        return new ConversationState(userId, chatId, language, first, opened, number, lastConfirmedDraft, false);
    }

    /**
     * Keeps an order billing rejected: the same order, under a new number (the rejected card's buttons stay
     * recognisable as that order's), waiting on its card for a top-up.
     */
    public ConversationState keep(Draft rejected) {
        long number = draftCounter + 1;
        return new ConversationState(
                userId,
                chatId,
                language,
                Step.AWAIT_CONFIRM,
                rejected.renumbered(number),
                number,
                lastConfirmedDraft,
                true);
    }

    /** The kept order's card was offered again: it is an ordinary open card from now on. */
    public ConversationState offered() {
        return new ConversationState(userId, chatId, language, step, draft, draftCounter, lastConfirmedDraft, false);
    }

    public ConversationState confirmed() {
        return new ConversationState(userId, chatId, language, Step.MENU, null, draftCounter, draft.number(), false);
    }

    public ConversationState withLanguage(Language chosen) {
        return new ConversationState(userId, chatId, chosen, step, draft, draftCounter, lastConfirmedDraft, kept);
    }

    public ConversationState withChat(long chat) {
        return new ConversationState(userId, chat, language, step, draft, draftCounter, lastConfirmedDraft, kept);
    }

    public boolean hasDraft(long number) {
        return draft != null && draft.number() == number;
    }
}
