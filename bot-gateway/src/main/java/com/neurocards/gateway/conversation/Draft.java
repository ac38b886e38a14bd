package com.neurocards.gateway.conversation;

import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import java.util.Objects;

/**
 * A generation being put together. {@code number} is per user and only grows: buttons carry it, so a button of an
 * older draft is recognised as stale.
 *
 * @param wishes  {@link #NO_WISHES} when the user said "none"; {@code null} while not asked yet
 * @param model   the video model the seller chose; {@code null} while not asked yet (a draft saved before the model
 *                step existed renders with {@link VideoModel#DEFAULT})
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
        VideoModel model,
        int count,
        boolean editing) {

    public static final String NO_WISHES = "-";

    public static Draft start(long number) {
        return new Draft(number, null, null, null, null, null, null, null, 0, false);
    }

    /** A new draft with the photo and description of an earlier one ("make more", a new draft from a seed). */
    public static Draft seeded(long number, Photo photo, PhotoKind kind, String description) {
        return new Draft(number, photo, kind, description, null, null, null, null, 0, false);
    }

    public Draft withPhoto(Photo newPhoto, PhotoKind kind) {
        return new Draft(number, newPhoto, kind, description, template, wishes, customPrompt, model, count, editing);
    }

    public Draft withDescription(String text) {
        return new Draft(number, photo, photoKind, text, template, wishes, customPrompt, model, count, editing);
    }

    /** A new template asks its own follow-up question again. */
    public Draft withTemplate(Template chosen) {
        return new Draft(number, photo, photoKind, description, chosen, null, null, model, count, editing);
    }

    public Draft withWishes(String text) {
        return new Draft(number, photo, photoKind, description, template, text, null, model, count, editing);
    }

    public Draft withCustomPrompt(String text) {
        return new Draft(number, photo, photoKind, description, template, null, text, model, count, editing);
    }

    public Draft withModel(VideoModel chosen) {
        return new Draft(number, photo, photoKind, description, template, wishes, customPrompt, chosen, count, editing);
    }

    public Draft withCount(int videos) {
        return new Draft(number, photo, photoKind, description, template, wishes, customPrompt, model, videos, false);
    }

    public Draft editing(boolean value) {
        return new Draft(number, photo, photoKind, description, template, wishes, customPrompt, model, count, value);
    }

    /** The same order under another number (a rejected order kept for the seller). */
    public Draft renumbered(long newNumber) {
        return new Draft(newNumber, photo, photoKind, description, template, wishes, customPrompt, model, count, false);
    }

    /** Wishes as the request carries them: {@code null} for none. */
    public String wishesOrNull() {
        return wishes == null || NO_WISHES.equals(wishes) ? null : wishes;
    }

    /** The model the order renders with. */
    public VideoModel modelOrDefault() {
        return model == null ? VideoModel.DEFAULT : model;
    }

    /** Everything the confirmation card shows is there. */
    public boolean complete() {
        boolean followUp = template == Template.SELF ? customPrompt != null : wishes != null;
        return photo != null && description != null && template != null && followUp && count > 0;
    }

    /**
     * A short fingerprint of what the card shows (the Confirm button carries it): a card shown before the order was
     * changed has another one, so its Confirm cannot start what the seller never saw.
     */
    public String version() {
        // names and strings only: their hashes are the same in every gateway instance and after a restart
        int hash = Objects.hash(
                photo == null ? null : photo.fileId(),
                description,
                template == null ? null : template.name(),
                wishes,
                customPrompt,
                modelOrDefault().name(),
                count);
        return Integer.toUnsignedString(hash, 36);
    }
}
