package com.neurocards.gateway.telegram;

import com.neurocards.contracts.Redaction;
import com.neurocards.gateway.config.GatewayConfig;
import com.neurocards.telegram.TelegramConfig;
import com.neurocards.telegram.TelegramFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Long polling, written out rather than taken from telegrambots-longpolling so that the offset only moves past an
 * update once it was applied (its id recorded with its effects): a crash in between means Telegram sends it again,
 * and the update log makes the second time a no-op. An update that failed on an outage (database, broker, billing)
 * holds the offset and is tried again, with a growing pause, until it succeeds; only one that keeps failing on a bug
 * is given up (a payment in it kept for an admin first). One batch is applied with one user's updates in order and
 * different users in parallel; the replies then go out in per-user lanes while the next batch is fetched, so one
 * user's throttled chat (429 waits) never holds up anyone else. Of several gateway instances only the one holding the
 * {@link PollingLease} polls; the others stand by and one of them takes over when it stops or dies.
 */
@ApplicationScoped
public class UpdatePoller {

    private static final Logger LOG = Logger.getLogger(UpdatePoller.class);
    /** What the bot asks Telegram for; everything else is never sent to it. */
    public static final List<String> ALLOWED_UPDATES = List.of("message", "callback_query", "pre_checkout_query");
    /** An update that keeps failing on a bug (not an outage) is given up after this many tries, not looped on. */
    private static final int MAX_TRIES_PER_UPDATE = 5;
    /** The pause before an update that failed is tried again, doubling up to {@link #RETRY_MAX}. */
    private static final Duration RETRY_FIRST = Duration.ofMillis(500);

    private static final Duration RETRY_MAX = Duration.ofSeconds(10);

    private final TelegramClient client;
    private final UpdateDispatcher dispatcher;
    private final FloodGuard flood;
    private final PollingLease lease;
    private final Duration replyWait;
    private final Duration standbyCheck;
    private final List<String> secrets;
    private final Map<Integer, Integer> failures = new HashMap<>();
    private volatile boolean running;
    private volatile Thread thread;
    private ExecutorService workers;
    private volatile UserLanes lanes;
    private int timeoutSeconds;

    public UpdatePoller(
            TelegramClient client,
            UpdateDispatcher dispatcher,
            FloodGuard flood,
            PollingLease lease,
            GatewayConfig config,
            TelegramConfig telegram) {
        this.client = client;
        this.dispatcher = dispatcher;
        this.flood = flood;
        this.lease = lease;
        this.replyWait = config.polling().replyWait();
        this.standbyCheck = config.polling().standbyCheck();
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
        lanes = new UserLanes();
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
        if (lanes != null) {
            lanes.shutdown(TimeUnit.SECONDS.toMillis(2));
        }
        lease.release();
        thread = null;
    }

    public boolean running() {
        return running;
    }

    private void run() {
        long offset = 0;
        Duration backoff = Duration.ofMillis(500);
        Duration retry = RETRY_FIRST;
        boolean webhookRemoved = false;
        boolean polling = false;
        while (running) {
            if (!lease.holdOrTake()) {
                if (polling) {
                    polling = false;
                    LOG.info("Another gateway polls Telegram now; this one stands by");
                }
                pause(standbyCheck);
                continue;
            }
            if (!polling) {
                // Taken (again): another instance may have confirmed updates meanwhile; Telegram knows where it is.
                polling = true;
                offset = 0;
            }
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
                Handled handled = handle(batch, offset);
                offset = handled.offset();
                backoff = Duration.ofMillis(500);
                if (handled.failed()) {
                    // Confirm nothing from the failed update on: it comes again (and what was done is not redone).
                    pause(retry);
                    retry = next(retry, RETRY_MAX);
                } else {
                    retry = RETRY_FIRST;
                }
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
                    backoff = next(backoff, Duration.ofSeconds(30));
                }
            } catch (TelegramApiException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warnf("Long polling failed: %s", redact(Redaction.describe(e)));
                pause(backoff);
                backoff = next(backoff, Duration.ofSeconds(30));
            }
        }
    }

    /** What a batch came to: the offset that confirms exactly what was applied, and whether an update failed. */
    private record Handled(long offset, boolean failed) {}

    /** Replies queued in a user's lane, done when they are sent. */
    private record Sent(long userId, CompletableFuture<Void> done) {}

    private Handled handle(List<Update> batch, long offset) {
        if (batch == null || batch.isEmpty()) {
            return new Handled(offset, false);
        }
        Set<Long> slow = lanes.busy();
        Map<Long, List<Update>> byUser = new LinkedHashMap<>();
        for (Update update : batch) {
            byUser.computeIfAbsent(userOf(update), k -> new ArrayList<>()).add(update);
        }
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        Queue<Sent> replies = new ConcurrentLinkedQueue<>();
        byUser.forEach((user, updates) -> runs.add(CompletableFuture.supplyAsync(
                () -> applyInOrder(updates, slow.contains(user) ? null : replies), workers)));
        int firstFailed = Integer.MAX_VALUE;
        for (CompletableFuture<Integer> run : runs) {
            firstFailed = Math.min(firstFailed, run.join());
        }
        awaitReplies(replies);
        if (firstFailed != Integer.MAX_VALUE) {
            return new Handled(firstFailed, true);
        }
        int last = batch.stream().mapToInt(Update::getUpdateId).max().orElse((int) offset - 1);
        return new Handled(last + 1L, false);
    }

    /**
     * Gives this batch's replies a moment before the next getUpdates confirms the batch, so that a confirmed update
     * has, as a rule, been answered too. Not waited for: users whose replies were still going out from an earlier
     * batch or who are over the flood limit (their lanes are slow on purpose), and anything past
     * {@code neurocards.gateway.polling.reply-wait} (a 429 wait in one chat must not hold up everyone else).
     */
    private void awaitReplies(Queue<Sent> replies) {
        CompletableFuture<?>[] awaited = replies.stream()
                .filter(sent -> !flood.limited(sent.userId()))
                .map(Sent::done)
                .toArray(CompletableFuture[]::new);
        if (awaited.length == 0) {
            return;
        }
        try {
            CompletableFuture.allOf(awaited).get(replyWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debugf("Replies of the last batch still going out after %s; fetching the next batch", replyWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // UserLanes logs failed replies itself.
        }
    }

    /**
     * Applies one user's updates in order and queues their replies in the user's lane (adding them to
     * {@code awaited}, if given); returns the id of the first update that failed (the user's later updates wait for
     * it), or MAX_VALUE.
     */
    private int applyInOrder(List<Update> updates, Queue<Sent> awaited) {
        for (Update update : updates) {
            int id = update.getUpdateId();
            Replies replies;
            try {
                replies = dispatcher.apply(update);
                forget(id);
            } catch (RuntimeException e) {
                if (!Failures.isBug(e)) {
                    LOG.warnf("Update %d failed on an outage; trying it again: %s", id, redact(Redaction.describe(e)));
                    return id;
                }
                if (tries(id) < MAX_TRIES_PER_UPDATE) {
                    return id;
                }
                try {
                    replies = dispatcher.giveUp(update, e);
                    forget(id);
                    LOG.errorf(
                            "Gave up update %d after %d tries: %s",
                            id, MAX_TRIES_PER_UPDATE, redact(Redaction.describe(e)));
                } catch (RuntimeException keeping) {
                    LOG.errorf(
                            "Could not keep update %d for an admin; trying it again: %s",
                            id, redact(Redaction.describe(keeping)));
                    return id;
                }
            }
            long user = userOf(update);
            CompletableFuture<Void> sent = lanes.submit(user, replies);
            if (awaited != null) {
                awaited.add(new Sent(user, sent));
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

    private static Duration next(Duration backoff, Duration max) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
