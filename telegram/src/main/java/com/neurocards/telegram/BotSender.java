package com.neurocards.telegram;

import com.neurocards.contracts.Redaction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Every Bot API call the gateway and the pipeline make. The telegrambots call blocks, so it runs on a worker thread
 * here and its answer comes back as a {@link Uni}; callers never block an event loop for Telegram. Written once for
 * both services: how a refusal is read ({@link TelegramFailure}, the bot token removed), the count of 429s
 * ({@link TelegramMetrics#RATE_LIMITED}), the spacing of sends per chat and per bot ({@link SendThrottle}, shared by every instance speaking as the bot). What a wait becomes
 * (spent in place, or handed back) is the service's {@link SendPolicy}.
 */
@ApplicationScoped
public class BotSender {

    private static final Logger LOG = Logger.getLogger(BotSender.class);
    /** Before trying again a call that got no answer (when the policy allows another call). */
    private static final Duration NO_ANSWER_PAUSE = Duration.ofMillis(300);

    /** One Bot API call. */
    @FunctionalInterface
    public interface Call<T> {
        T execute(TelegramClient client) throws TelegramApiException;
    }

    private final TelegramClient client;
    private final TelegramClients clients;
    private final SendPolicy policy;
    private final List<String> secrets;
    private final Counter rateLimited;

    public BotSender(
            TelegramClient client,
            TelegramClients clients,
            TelegramConfig config,
            SendPolicy policy,
            MeterRegistry registry) {
        this.client = client;
        this.clients = clients;
        this.policy = policy;
        this.secrets = List.of(config.botToken());
        this.rateLimited = registry.counter(TelegramMetrics.RATE_LIMITED, TelegramMetrics.SENDER, policy.sender());
    }

    /**
     * A call to one chat, spaced by the policy's throttle.
     *
     * @return the call's result; or a failure: {@link TelegramFailure} when Telegram refused or did not answer, or
     * what the policy's hand-back made of a wait
     */
    public <T> Uni<T> send(long chatId, String method, Call<T> call) {
        return Uni.createFrom()
                .deferred(() -> spaced(chatId).chain(() -> attempt(chatId, method, client, false, call, 1)));
    }

    /**
     * An upload to one chat ({@code sendVideo}), spaced like {@link #send(long, String, Call)}, whose call may take up
     * to {@code timeout} (writing the file and waiting for the answer). A call that may have reached Telegram
     * ({@link TelegramFailure#mayHaveArrived()}) is never made again here, whatever the policy allows: the caller
     * decides whether to send it again.
     */
    public <T> Uni<T> upload(long chatId, String method, Duration timeout, Call<T> call) {
        return Uni.createFrom().deferred(() -> {
            TelegramClient longer = clients.withTimeout(timeout);
            return spaced(chatId).chain(() -> attempt(chatId, method, longer, true, call, 1));
        });
    }

    /**
     * Waits until a message to {@code chatId} could go by the chat's pace, reserving nothing: for a caller about to open
     * what its send will hold while it waits (a database transaction), so that it waits before rather than inside. The
     * send still reserves its slot, and waits again should another sender have taken it meanwhile. A wait longer than
     * the throttle reserves ahead (a 429's push-back) is not waited here: the send deals with it as it would anyway.
     */
    public Uni<Void> untilFree(long chatId) {
        SendThrottle throttle = policy.throttle();
        if (throttle == null) {
            return Uni.createFrom().voidItem();
        }
        return throttle.untilFree(chatId)
                .chain(wait -> wait.isNegative()
                        ? Uni.createFrom().voidItem()
                        : after(wait, () -> Uni.createFrom().voidItem()));
    }

    /** Waits for the chat's next slot, when the policy spaces sends. */
    private Uni<Void> spaced(long chatId) {
        SendThrottle throttle = policy.throttle();
        return throttle == null ? Uni.createFrom().voidItem() : slot(throttle, chatId, Duration.ZERO);
    }

    /**
     * Reserves the chat's next slot and waits for it. A slot further away than the throttle reserves is waited out in
     * place while the policy's {@code maxRetryAfter} allows it in all (then asked for again: other senders may have
     * taken the slots in between); otherwise the wait is handed back.
     */
    private Uni<Void> slot(SendThrottle throttle, long chatId, Duration waited) {
        return throttle.reserve(chatId).chain(wait -> {
            if (!wait.isNegative()) {
                return after(wait, () -> Uni.createFrom().voidItem());
            }
            Duration needed = wait.negated();
            Duration total = waited.plus(needed);
            if (total.compareTo(policy.maxRetryAfter()) <= 0) {
                return after(needed, () -> slot(throttle, chatId, total));
            }
            String reason = "Telegram chat " + chatId + " is busy";
            return Uni.createFrom()
                    .failure(
                            policy.handBack() == null
                                    ? new SendPolicy.NoSlot(reason, needed)
                                    : policy.handBack().wait(reason, needed, null));
        });
    }

    /** A call that is not a message to a chat (answering a button or a pre-checkout, the command menu): not spaced. */
    public <T> Uni<T> send(String method, Call<T> call) {
        return Uni.createFrom().deferred(() -> attempt(null, method, client, false, call, 1));
    }

    /**
     * {@link #send(long, String, Call)} for a message that may be lost (a reply whose state is already saved): a
     * failure, or a wait the policy handed back, is logged without the token and ends as empty.
     */
    public <T> Uni<Optional<T>> trySend(long chatId, String method, Call<T> call) {
        return orLogged(method, send(chatId, method, call));
    }

    /** {@link #send(String, Call)}, a failure logged and ending as empty. */
    public <T> Uni<Optional<T>> trySend(String method, Call<T> call) {
        return orLogged(method, send(method, call));
    }

    private <T> Uni<T> attempt(
            Long chatId, String method, TelegramClient via, boolean onlyOnce, Call<T> call, int callNo) {
        return Uni.createFrom()
                .item(() -> execute(method, via, call))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(TelegramFailure.class)
                .recoverWithUni(failure ->
                        afterFailure(chatId, method, via, onlyOnce, call, callNo, (TelegramFailure) failure));
    }

    private <T> T execute(String method, TelegramClient via, Call<T> call) {
        try {
            return call.execute(via);
        } catch (TelegramApiException e) {
            throw TelegramFailure.of(method, e, secrets);
        }
    }

    /** @param onlyOnce a call that may have reached Telegram is not made again */
    private <T> Uni<T> afterFailure(
            Long chatId,
            String method,
            TelegramClient via,
            boolean onlyOnce,
            Call<T> call,
            int callNo,
            TelegramFailure failure) {
        boolean callsLeft = callNo < policy.calls();
        if (failure.rateLimited()) {
            rateLimited.increment();
            Duration wait = failure.retryAfter();
            Uni<Void> pushedBack = policy.throttle() != null && chatId != null
                    ? policy.throttle().backOff(chatId, wait)
                    : Uni.createFrom().voidItem();
            return pushedBack.chain(() -> {
                if (callsLeft && wait.compareTo(policy.maxRetryAfter()) <= 0) {
                    LOG.infof("Telegram rate limit on %s: waiting %s as asked", method, wait);
                    return after(wait, () -> attempt(chatId, method, via, onlyOnce, call, callNo + 1));
                }
                return Uni.createFrom()
                        .failure(
                                policy.handBack() == null
                                        ? failure
                                        : policy.handBack().wait(failure.getMessage(), wait, 429));
            });
        }
        if (!failure.answered() && callsLeft && !(onlyOnce && failure.mayHaveArrived())) {
            LOG.debugf("%s; trying again", failure.getMessage());
            return after(NO_ANSWER_PAUSE, () -> attempt(chatId, method, via, onlyOnce, call, callNo + 1));
        }
        return Uni.createFrom().failure(failure);
    }

    /** Runs {@code next} after {@code wait}; a wait under a millisecond (a timer cannot be shorter) runs it now. */
    static <T> Uni<T> after(Duration wait, Supplier<Uni<T>> next) {
        if (wait.toMillis() < 1) {
            return next.get();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(wait).chain(ignored -> next.get());
    }

    private <T> Uni<Optional<T>> orLogged(String method, Uni<T> sent) {
        return sent.map(Optional::ofNullable).onFailure().recoverWithItem(failure -> {
            if (failure instanceof TelegramFailure refused) {
                LOG.warn(refused.getMessage());
            } else {
                LOG.warnf("Telegram %s not sent: %s", method, Redaction.redact(Redaction.describe(failure), secrets));
            }
            return Optional.empty();
        });
    }
}
