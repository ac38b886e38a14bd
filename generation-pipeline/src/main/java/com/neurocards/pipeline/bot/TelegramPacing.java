package com.neurocards.pipeline.bot;

import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.SendPolicy;
import com.neurocards.telegram.SendThrottles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * How the pipeline waits for Telegram ({@link BotSender}'s policy): its sends are spaced by the bot's spacing shared
 * with every gateway and pipeline instance ({@link SendThrottles}, {@code neurocards.telegram.limits.*}); a wait for a
 * slot up to {@code neurocards.pipeline.bot.max-wait} is spent in place. A longer
 * one, and every 429, becomes {@link StageException#paced}: the message waits out {@code retry_after} in a delay tier
 * without using an attempt, and no consumer thread sleeps through it.
 */
@ApplicationScoped
public class TelegramPacing {

    @Produces
    @Singleton
    SendPolicy sendPolicy(PipelineConfig config, SendThrottles throttles) {
        return SendPolicy.handBack("pipeline", throttles.throttle(config.bot().maxWait()), StageException::paced);
    }
}
