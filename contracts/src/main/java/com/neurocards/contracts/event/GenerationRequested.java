package com.neurocards.contracts.event;

/**
 * The seller confirmed a generation. Gateway → billing (and, inside {@link GenerationFunded}, on to the pipeline).
 *
 * @param progressMessageId the Telegram id of the confirmation card the seller pressed Confirm on: the pipeline shows
 *     the request's progress by editing that card's caption, so no retry can ever send a second "started" message;
 *     {@code null} when unknown (older events, or a press Telegram sent without its message), and then the pipeline
 *     sends a progress message of its own
 */
public record GenerationRequested(
        String requestId,
        long userId,
        long chatId,
        Language locale,
        Photo photo,
        String description,
        Template template,
        String wishes,
        String customPrompt,
        int count,
        String model,
        String aspectRatio,
        Integer progressMessageId)
        implements Event {

    /** A request without a confirmation card to show its progress on. */
    public GenerationRequested(
            String requestId,
            long userId,
            long chatId,
            Language locale,
            Photo photo,
            String description,
            Template template,
            String wishes,
            String customPrompt,
            int count,
            String model,
            String aspectRatio) {
        this(
                requestId,
                userId,
                chatId,
                locale,
                photo,
                description,
                template,
                wishes,
                customPrompt,
                count,
                model,
                aspectRatio,
                null);
    }

    @Override
    public String correlationId() {
        return requestId;
    }

    /** The job of this request at {@code index} (1-based). */
    public JobRef job(int index) {
        return new JobRef(
                JobRef.jobId(requestId, index),
                requestId,
                userId,
                chatId,
                locale,
                index,
                count,
                photo,
                progressMessageId);
    }
}
