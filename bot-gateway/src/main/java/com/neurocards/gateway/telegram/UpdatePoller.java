package com.neurocards.gateway.telegram;

import com.neurocards.contracts.Redaction;
import com.neurocards.telegram.TelegramConfig;
import com.neurocards.telegram.TelegramFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Long polling, written out rather than taken from telegrambots-longpolling so that the offset only moves past an
 * update once it was handled (its id recorded with its effects): a crash in between means Telegram sends it again,
 * and the update log makes the second time a no-op. One batch is handled with one user's updates in order and
 * different users in parallel.
 */
@ApplicationScoped
public class UpdatePoller {

    private static final Logger LOG = Logger.getLogger(UpdatePoller.class);
    /** What the bot asks Telegram for; everything else is never sent to it. */
    public static final List<String> ALLOWED_UPDATES = List.of("message", "callback_query", "pre_checkout_query");
    /** An update that keeps failing (a bug, not an outage) is given up after this many tries, not looped on. */
    private static final int MAX_TRIES_PER_UPDATE = 5;

    private final TelegramClient client;
    private final UpdateDispatcher dispatcher;
    private final List<String> secrets;
    private final Map<Integer, Integer> failures = new HashMap<>();
    private volatile boolean running;
    private volatile Thread thread;
    private ExecutorService workers;
    private int timeoutSeconds;

    public UpdatePoller(TelegramClient client, UpdateDispatcher dispatcher, TelegramConfig telegram) {
        this.client = client;
        this.dispatcher = dispatcher;
        this.secrets = List.of(telegram.botToken());
    }

    public synchronized void start(int timeoutSeconds, int parallelism) {
        if (running) {
            return;
        }
        this.timeoutSeconds = timeoutSeconds;
        running = true;
        workers = Executors.newFixedThreadPool(Math.max(1, parallelism), runnable -> {
            Thread t = new Thread(runnable, "telegram-update-worker");
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::run, "telegram-long-polling");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Receiving Telegram updates by long polling");
    }

    public synchronized void stop() {
        running = false;
        Thread polling = thread;
        if (polling != null) {
            polling.interrupt();
            try {
                polling.join(TimeUnit.SECONDS.toMillis(timeoutSeconds + 2L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (workers != null) {
            workers.shutdown();
        }
        thread = null;
    }

    public boolean running() {
        return running;
    }

    private void run() {
        long offset = 0;
        Duration backoff = Duration.ofMillis(500);
        boolean webhookRemoved = false;
        while (running) {
            try {
                if (!webhookRemoved) {
                    // getUpdates does not work while a webhook is set (e.g. left over from webhook mode).
                    client.execute(DeleteWebhook.builder().build());
                    webhookRemoved = true;
                }
                List<Update> batch = client.execute(GetUpdates.builder()
                        .offset((int) offset)
                        .timeout(timeoutSeconds)
                        .limit(100)
                        .allowedUpdates(ALLOWED_UPDATES)
                        .build());
                offset = handle(batch, offset);
                backoff = Duration.ofMillis(500);
            } catch (TelegramApiRequestException e) {
                TelegramFailure refused = TelegramFailure.of("getUpdates", e, secrets);
                if (refused.rateLimited()) {
                    pause(refused.retryAfter());
                } else {
                    if (refused.errorCode() != null && refused.errorCode() == 409) {
                        LOG.warn(
                                "Another getUpdates is running for this bot (two gateways in polling mode?); backing off");
                    } else {
                        LOG.warn(refused.getMessage());
                    }
                    pause(backoff);
                    backoff = next(backoff);
                }
            } catch (TelegramApiException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warnf("Long polling failed: %s", redact(Redaction.describe(e)));
                pause(backoff);
                backoff = next(backoff);
            }
        }
    }

    /** Handles a batch and returns the offset that confirms exactly what was handled. */
    private long handle(List<Update> batch, long offset) {
        if (batch == null || batch.isEmpty()) {
            return offset;
        }
        Map<Long, List<Update>> byUser = new LinkedHashMap<>();
        for (Update update : batch) {
            byUser.computeIfAbsent(userOf(update), k -> new ArrayList<>()).add(update);
        }
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        for (List<Update> updates : byUser.values()) {
            runs.add(CompletableFuture.supplyAsync(() -> handleInOrder(updates), workers));
        }
        int firstFailed = Integer.MAX_VALUE;
        for (CompletableFuture<Integer> run : runs) {
            firstFailed = Math.min(firstFailed, run.join());
        }
        int last = batch.stream().mapToInt(Update::getUpdateId).max().orElse((int) offset - 1);
        if (firstFailed != Integer.MAX_VALUE) {
            // Confirm nothing from the failed update on: it comes again (and what was done is not redone).
            pause(Duration.ofSeconds(1));
            return firstFailed;
        }
        return last + 1L;
    }

    /** One user's updates in order; returns the id of the first that failed, or MAX_VALUE. */
    private int handleInOrder(List<Update> updates) {
        for (Update update : updates) {
            try {
                dispatcher.handle(update);
                forget(update.getUpdateId());
            } catch (RuntimeException e) {
                if (tries(update.getUpdateId()) >= MAX_TRIES_PER_UPDATE) {
                    LOG.errorf(
                            "Giving up update %d after %d tries: %s",
                            update.getUpdateId(), MAX_TRIES_PER_UPDATE, redact(Redaction.describe(e)));
                    forget(update.getUpdateId());
                    continue;
                }
                return update.getUpdateId();
            }
        }
        return Integer.MAX_VALUE;
    }

    private synchronized int tries(int updateId) {
        return failures.merge(updateId, 1, Integer::sum);
    }

    private synchronized void forget(int updateId) {
        failures.remove(updateId);
    }

    static long userOf(Update update) {
        if (update.hasMessage() && update.getMessage().getFrom() != null) {
            return update.getMessage().getFrom().getId();
        }
        if (update.hasCallbackQuery()) {
            return update.getCallbackQuery().getFrom().getId();
        }
        if (update.hasPreCheckoutQuery()) {
            return update.getPreCheckoutQuery().getFrom().getId();
        }
        return -update.getUpdateId();
    }

    private String redact(String text) {
        return Redaction.redact(text, secrets);
    }

    private void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            // Only stop() interrupts the polling thread.
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : doubled;
    }
}
