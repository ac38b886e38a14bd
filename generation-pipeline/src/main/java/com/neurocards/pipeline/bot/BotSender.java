package com.neurocards.pipeline.bot;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.Redaction;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.telegram.ChatThrottle;
import com.neurocards.pipeline.error.ErrorClassifier;
import com.neurocards.telegram.TelegramConfig;
import com.neurocards.telegram.TelegramMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Every Telegram call the pipeline makes goes through here: throttled per chat and for the whole bot, errors
 * classified; a 429 pushes the chat back by {@code retry_after} and becomes a {@link StageException#paced},
 * so the message waits in a delay tier instead of hammering Telegram. Blocking.
 */
@ApplicationScoped
public class BotSender {

    /** One Bot API call. */
    @FunctionalInterface
    public interface Call<T> {
        T run(TelegramClient client) throws TelegramApiException;
    }

    private final TelegramClient client;
    private final ChatThrottle throttle;
    private final List<String> secrets;
    private final Counter rateLimited;

    @jakarta.inject.Inject
    public BotSender(TelegramClient client, PipelineConfig config, TelegramConfig telegram, MeterRegistry registry) {
        this(client, new ChatThrottle(config.bot().perChatInterval(), config.bot().globalPerSecond(),
                config.bot().maxWait(), Clock.systemUTC()), List.of(telegram.botToken()), registry);
    }

    public BotSender(TelegramClient client, ChatThrottle throttle, List<String> secrets) {
        this(client, throttle, secrets, null);
    }

    public BotSender(TelegramClient client, ChatThrottle throttle, List<String> secrets, MeterRegistry registry) {
        this.client = client;
        this.throttle = throttle;
        this.secrets = secrets;
        this.rateLimited = registry == null ? null
                : registry.counter(TelegramMetrics.RATE_LIMITED, TelegramMetrics.SENDER, "pipeline");
    }

    /**
     * @throws StageException paced: the chat is busy (our throttle) or Telegram answered 429; the message waits in a
     *                        delay tier without using an attempt
     * @throws BotException   any other refusal or failure, classified
     */
    public <T> T send(long chatId, Call<T> call) {
        Duration wait = throttle.reserve(chatId);
        if (wait.isNegative()) {
            throw StageException.paced("Telegram chat " + chatId + " is busy", wait.negated(), null);
        }
        sleep(wait);
        try {
            return call.run(client);
        } catch (TelegramApiRequestException e) {
            int code = e.getErrorCode() == null ? 500 : e.getErrorCode();
            Integer retryAfter = e.getParameters() == null ? null : e.getParameters().getRetryAfter();
            var c = ErrorClassifier.telegram(code, Redaction.redact(e.getApiResponse(), secrets), retryAfter);
            if (c.errorClass() == ErrorClass.RATE_LIMIT) {
                if (rateLimited != null && code == 429) {
                    rateLimited.increment();
                }
                throttle.backOff(chatId, c.retryAfter());
                throw StageException.paced(c.reason(), c.retryAfter(), 429);
            }
            throw new BotException(c);
        } catch (TelegramApiException e) {
            throw new BotException(ErrorClassifier.network("Telegram",
                    new java.io.IOException(Redaction.redact(String.valueOf(e.getMessage()), secrets))));
        }
    }

    private static void sleep(Duration wait) {
        if (wait.isZero()) {
            return;
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
