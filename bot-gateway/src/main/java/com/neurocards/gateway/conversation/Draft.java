package com.neurocards.gateway.conversation;

import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;

/**
 * A generation being put together. {@code number} is per user and only grows: buttons carry it, so a button of an
 * older draft is recognised as stale.
 *
 * @param wishes  {@link #NO_WISHES} when the user said "none"; {@code null} while not asked yet
 * @param editing the user came from the confirmation card to change one thing; once the draft is complete again,
 *                the card is shown again instead of the next step
 */
public record Draft(
        long number,
        Photo photo,
        PhotoKind photoKind,
        String description,
        Template template,
        String wishes,
        String customPrompt,
        int count,
        boolean editing) {

    public static final String NO_WISHES = "-";

    public static Draft start(long number) {
        return new Draft(number, null, null, null, null, null, null, 0, false);
    }

    public Draft withPhoto(Photo newPhoto, PhotoKind kind) {
        return new Draft(number, newPhoto, kind, description, template, wishes, customPrompt, count, editing);
    }

    public Draft withDescription(String text) {
        return new Draft(number, photo, photoKind, text, template, wishes, customPrompt, count, editing);
    }

    /** A new template asks its own follow-up question again. */
    public Draft withTemplate(Template chosen) {
        return new Draft(number, photo, photoKind, description, chosen, null, null, count, editing);
    }

    public Draft withWishes(String text) {
        return new Draft(number, photo, photoKind, description, template, text, null, count, editing);
    }

    public Draft withCustomPrompt(String text) {
        return new Draft(number, photo, photoKind, description, template, null, text, count, editing);
    }

    public Draft withCount(int videos) {
        return new Draft(number, photo, photoKind, description, template, wishes, customPrompt, videos, false);
    }

    public Draft editing(boolean value) {
        return new Draft(number, photo, photoKind, description, template, wishes, customPrompt, count, value);
    }

    /** Wishes as the request carries them: {@code null} for none. */
    public String wishesOrNull() {
        return wishes == null || NO_WISHES.equals(wishes) ? null : wishes;
    }

    /** Everything the confirmation card shows is there. */
    public boolean complete() {
        boolean followUp = template == Template.SELF ? customPrompt != null : wishes != null;
        return photo != null && description != null && template != null && followUp && count > 0;
    }
}
