package com.neurocards.contracts.event;

/**
 * A job's video reached the user (or could not, because the user blocked the bot). Deliver → notify, gateway.
 *
 * @param telegramFileId lets the gateway send the video again without re-rendering; {@code null} for a link
 */
public record GenerationDelivered(JobRef job, long telegramMessageId, String telegramFileId, DeliveryMode mode)
        implements Event {

    @Override
    public String correlationId() {
        return job.requestId();
    }

    @Override
    public String jobId() {
        return job.jobId();
    }
}
