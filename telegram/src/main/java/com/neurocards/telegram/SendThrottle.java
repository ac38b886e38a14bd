package com.neurocards.telegram;

import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * Spaces a bot's sends by {@link SendSpacing}: {@link ChatThrottle} within one process, {@link SharedChatThrottle}
 * across every instance of every service that speaks as the bot. {@link BotSender} asks it before each send to a chat.
 */
public interface SendThrottle {

    /**
     * Reserves the next slot for a message to {@code chatId}.
     *
     * @return how long to wait before sending (zero = now), or the negative of the wait needed when the slot is
     * further away than the spacing's {@code maxWait}: nothing is reserved then
     */
    Uni<Duration> reserve(long chatId);

    /**
     * How long until a message to {@code chatId} could go by the chat's own pace (its last send, a 429's push-back),
     * reserving nothing; zero when it could go now. For a caller that would rather wait before it takes what its send
     * holds while it waits (a database transaction); the send itself still reserves its slot.
     *
     * @return the wait, or its negative when it is longer than the spacing's {@code maxWait} (a send would then be
     * refused its slot, as by {@link #reserve})
     */
    Uni<Duration> untilFree(long chatId);

    /** Telegram answered 429 for this chat: nothing goes there before {@code retryAfter} has passed. */
    Uni<Void> backOff(long chatId, Duration retryAfter);
}
