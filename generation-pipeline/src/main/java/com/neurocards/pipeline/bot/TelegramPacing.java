package com.neurocards.pipeline.bot;

import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.ChatThrottle;
import com.neurocards.telegram.SendPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * How the pipeline waits for Telegram ({@link BotSender}'s policy): its sends are spaced, about one a second per chat
 * and {@code global-per-second} for the whole bot; a wait for a slot up to {@code max-wait} is spent in place. A longer
 * one, and every 429, becomes {@link StageException#paced}: the message waits out {@code retry_after} in a delay tier
 * without using an attempt, and no consumer thread sleeps through it.
 */
@ApplicationScoped
public class TelegramPacing {

    @Produces
    @Singleton
    SendPolicy sendPolicy(PipelineConfig config) {
        PipelineConfig.Bot bot = config.bot();
        return SendPolicy.handBack(
                "pipeline",
                new ChatThrottle(bot.perChatInterval(), bot.globalPerSecond(), bot.maxWait(), Clock.systemUTC()),
                StageException::paced);
    }
}
