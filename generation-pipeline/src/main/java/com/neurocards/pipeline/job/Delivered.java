package com.neurocards.pipeline.job;

import com.neurocards.contracts.event.DeliveryMode;

/**
 * How a job's video reached its chat, as Telegram answered the send: the mode, the message and the file (none for a
 * link, an undeliverable chat or an unconfirmed send). What the deliver stage gets from a send, what
 * {@link JobRepository#sent} records the moment it arrives, and what the delivery is recorded with.
 */
public record Delivered(DeliveryMode mode, long messageId, String fileId) {}
