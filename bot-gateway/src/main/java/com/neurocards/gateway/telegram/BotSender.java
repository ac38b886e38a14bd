package com.neurocards.gateway.telegram;

import com.neurocards.contracts.Redaction;
import com.neurocards.telegram.TelegramConfig;
import com.neurocards.telegram.TelegramMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every Telegram call the gateway makes for a reply. A 429 is honoured: the call waits Telegram's
 * {@code retry_after} and tries again (a few times, a bounded wait), it does not hammer. Failures are logged
 * without the bot token and never thrown at the conversation: a reply that cannot be sent is lost, the state it
 * followed is already saved, and the user can carry on from there.
 */
@ApplicationScoped
public class BotSender {

    private static final Logger LOG = Logger.getLogger(BotSender.class);
    private static final int MAX_TRIES = 3;
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** One Bot API call. */
    @FunctionalInterface
    public interface Call<T> {
        T execute(TelegramClient client) throws TelegramApiException;
    }

    private final TelegramClient client;
    private final List<String> secrets;
    private final MeterRegistry registry;
    private final Counter rateLimited;

    public BotSender(TelegramClient client, TelegramConfig config, MeterRegistry registry) {
        this.client = client;
        this.secrets = List.of(config.botToken());
        this.registry = registry;
        this.rateLimited = registry.counter(TelegramMetrics.RATE_LIMITED, TelegramMetrics.SENDER, "gateway");
    }

    /** Runs {@code call}; empty when it failed for good (already logged). */
    public <T> Optional<T> send(String what, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Optional.ofNullable(call.execute(client));
            } catch (TelegramApiRequestException e) {
                Integer retryAfter = e.getParameters() == null ? null : e.getParameters().getRetryAfter();
                if (e.getErrorCode() != null && e.getErrorCode() == 429) {
                    rateLimited.increment();
                }
                if (e.getErrorCode() != null && e.getErrorCode() == 429 && attempt < MAX_TRIES) {
                    Duration wait = Duration.ofSeconds(retryAfter == null ? 1 : Math.max(1, retryAfter));
                    if (wait.compareTo(MAX_WAIT) > 0) {
                        LOG.warnf("Telegram asked to wait %s before %s; giving the reply up", wait, what);
                        return Optional.empty();
                    }
                    LOG.infof("Telegram rate limit on %s: waiting %s as asked", what, wait);
                    if (!sleep(wait)) {
                        return Optional.empty();
                    }
                    continue;
                }
                LOG.warnf("Telegram refused %s: %s %s", what, e.getErrorCode(), redact(e.getApiResponse()));
                return Optional.empty();
            } catch (TelegramApiException e) {
                if (attempt < MAX_TRIES - 1) {
                    LOG.debugf("Telegram call %s failed (%s); trying once more", what, redact(e.getMessage()));
                    if (!sleep(Duration.ofMillis(300))) {
                        return Optional.empty();
                    }
                    continue;
                }
                LOG.warnf("Telegram call %s failed: %s", what, redact(Redaction.describe(e)));
                return Optional.empty();
            }
        }
    }

    private String redact(String text) {
        return Redaction.redact(text, secrets);
    }

    private static boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
