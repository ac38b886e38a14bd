package com.neurocards.contracts.event;

/**
 * One video of a request, with what every stage needs to know about it without asking anyone.
 *
 * @param jobId     {@code <requestId>-<index>}
 * @param index     1-based position among the request's videos
 * @param total     how many videos the request asked for
 * @param progressMessageId the seller's confirmation card, on which the request's progress is shown
 *     ({@link GenerationRequested#progressMessageId()}); carried by every job so that whichever event of the request
 *     the pipeline renders first finds the card, and {@code null} when the request has none
 */
public record JobRef(
        String jobId,
        String requestId,
        long userId,
        long chatId,
        Language locale,
        int index,
        int total,
        Photo photo,
        Integer progressMessageId) {

    /** A job of a request without a confirmation card to show its progress on (or one not known here). */
    public JobRef(
            String jobId,
            String requestId,
            long userId,
            long chatId,
            Language locale,
            int index,
            int total,
            Photo photo) {
        this(jobId, requestId, userId, chatId, locale, index, total, photo, null);
    }

    /** The id of the {@code index}-th job (1-based) of a request. */
    public static String jobId(String requestId, int index) {
        return requestId + "-" + index;
    }
}
