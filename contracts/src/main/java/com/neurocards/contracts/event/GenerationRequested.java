package com.neurocards.contracts.event;

/** The seller confirmed a generation. Gateway → billing. */
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
        String aspectRatio)
        implements Event {

    @Override
    public String correlationId() {
        return requestId;
    }

    /** The job of this request at {@code index} (1-based). */
    public JobRef job(int index) {
        return new JobRef(JobRef.jobId(requestId, index), requestId, userId, chatId, locale, index, count, photo);
    }
}
