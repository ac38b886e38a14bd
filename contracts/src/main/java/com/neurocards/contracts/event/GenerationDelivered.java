package com.neurocards.contracts.event;

/**
 * A job's video reached the user (or could not, because the user blocked the bot). Deliver → notify, gateway.
 *
 * @param telegramMessageId the message that carries the video or link; 0 when none is known ({@code UNDELIVERABLE},
 *     {@code UNCONFIRMED})
 * @param telegramFileId lets the gateway send the video again without re-rendering; {@code null} for a link, and for
 *     {@code UNCONFIRMED} (the upload's answer was lost): every consumer must expect it missing
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
