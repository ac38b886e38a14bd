package com.neurocards.gateway.conversation;

import java.util.List;

/** Something to show the user; rendered into Telegram calls (in the user's language) after the state is saved. */
public sealed interface Reply {

    /** An argument of a {@link Message} that only the renderer knows. */
    enum Arg {
        /** Where sellers reach a person ({@code SUPPORT_CONTACT}), or the text saying none is set. */
        SUPPORT_CONTACT
    }

    /** A localised message with optional inline buttons; an argument may be an {@link Arg}. */
    record Message(String key, List<Object> args, List<List<Button>> buttons) implements Reply {
        public Message {
            args = List.copyOf(args);
            buttons = buttons.stream().map(List::copyOf).toList();
        }

        public static Message of(String key, Object... args) {
            return new Message(key, List.of(args), List.of());
        }

        public Message withButtons(List<List<Button>> rows) {
            return new Message(key, args, rows);
        }
    }

    /** An inline button: a message key for its label (with args) and its callback. */
    record Button(String key, List<Object> args, Callback callback) {
        public Button {
            args = List.copyOf(args);
        }

        public static Button of(String key, Callback callback, Object... args) {
            return new Button(key, List.of(args), callback);
        }
    }

    /** The main menu with the balance. */
    record Menu() implements Reply {}

    /**
     * The count question, with the cost on each button (count × the model's price) and the balance; the counts the
     * balance cannot cover are marked, with a top-up button.
     */
    record CountChoice(long draft, List<Integer> counts, long pricePerVideo) implements Reply {
        public CountChoice {
            counts = List.copyOf(counts);
        }
    }

    /**
     * The confirmation card: the photo, the draft's details, the model with its price per video and the cost, with
     * Confirm / Edit / Cancel.
     */
    record ConfirmCard(Draft draft, long pricePerVideo, long cost) implements Reply {}

    /** The user's recent generations and their states. */
    record MyVideos() implements Reply {}

    /** The video of a delivered job, sent again by its Telegram file id (checked against the caller). */
    record ResendVideo(String jobId) implements Reply {}

    /** The credit packs. */
    record Packs() implements Reply {}

    /** A Stars invoice for a pack. */
    record Invoice(String packId) implements Reply {}

    /** Removes the buttons under a message (the confirmation card once it was confirmed). */
    record ClearButtons(int messageId) implements Reply {}
}
