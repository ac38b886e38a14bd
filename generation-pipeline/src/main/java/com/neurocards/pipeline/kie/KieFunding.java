package com.neurocards.pipeline.kie;

import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Language;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.notify.ProgressNotifier;
import com.neurocards.telegram.BotSender;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;

/**
 * What a KIE 402 means, decided by the balance (docs/architecture.md#submit-failures): after a 402 the key's balance
 * is read and compared with the cost of the request's model ({@code neurocards.pipeline.kie.model-cost.<model>}). A
 * key that cannot pay is set aside in {@link KieKeyPool} and comes back as soon as a balance check shows enough: while
 * any key is set aside its balance is read every {@code funding-check-interval} (by one instance per interval). The
 * admins hear once per crossing from "some key can pay" to "none can", and back, once across all instances.
 */
@ApplicationScoped
public class KieFunding {

    private static final Logger LOG = Logger.getLogger(KieFunding.class);

    private final KieClient kie;
    private final KieKeyPool keys;
    private final BotSender bot;
    private final List<Long> admins;
    private final Map<String, Long> modelCost;
    private final long defaultCost;
    private final Duration checkInterval;
    private final Duration fundingWait;

    public KieFunding(KieClient kie, KieKeyPool keys, BotSender bot, PipelineConfig config) {
        this.kie = kie;
        this.keys = keys;
        this.bot = bot;
        this.admins = config.adminChatIds().orElse(List.of());
        this.modelCost = Map.copyOf(config.kie().modelCost());
        this.defaultCost = config.kie().defaultModelCost();
        this.checkInterval = config.kie().fundingCheckInterval();
        this.fundingWait = config.kie().fundingWait();
    }

    /** The KIE credits one create of {@code model} costs (configured, else {@code default-model-cost}). */
    public long cost(String model) {
        Long cost = model == null ? null : modelCost.get(model);
        return cost == null ? defaultCost : cost;
    }

    /** How often a set-aside key's balance is read; also how long a job waiting for funds waits between looks. */
    public Duration checkInterval() {
        return checkInterval;
    }

    /** How long a job without a deadline may wait for the balance, counted from its creation. */
    public Duration fundingWait() {
        return fundingWait;
    }

    /**
     * KIE answered 402 to a create of {@code model} with this key: can the key pay it? Reads the balance; a key that
     * cannot is set aside (and the admins hear if that leaves no key that can). An unreadable balance counts as "can
     * pay": the key stays, and the 402 is the request's (bounded) failure.
     */
    public Uni<Boolean> canPay(KieKeyPool.Lease lease, String model) {
        long needed = cost(model);
        return kie.credits(lease.key())
                .onFailure(KieException.class)
                .recoverWithItem(e -> {
                    LOG.warnf(
                            "KIE balance of key %s not read after a 402: %s; the key stays in rotation",
                            lease.keyId(), ((KieException) e).classification().reason());
                    return null;
                })
                .chain(balance -> {
                    if (balance == null || balance >= needed) {
                        if (balance != null) {
                            LOG.warnf(
                                    "KIE refused a create with 402 although key %s has %d credits (%s costs %d): "
                                            + "the request's failure, the key stays in rotation",
                                    lease.keyId(), balance, model, needed);
                        }
                        return Uni.createFrom().item(true);
                    }
                    return keys.setAside(lease.keyId(), balance, needed)
                            .invoke(this::announceCrossing)
                            .replaceWith(false);
                });
    }

    /** A balance read for a key (by the credit watch or the funding check): a set-aside key that can pay comes back. */
    public Uni<Void> balanceSeen(String keyId, long balance) {
        return keys.balanceSeen(keyId, balance)
                .invoke(back -> {
                    if (back) {
                        announceCrossing();
                    }
                })
                .replaceWithVoid();
    }

    /** Reads the balance of every set-aside key nobody read within the interval. */
    @Scheduled(
            identity = "kie-funding-check",
            every = "${neurocards.pipeline.kie.funding-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkOnSchedule() {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return check().onFailure()
                .invoke(e -> LOG.warnf("KIE funding check failed: %s", Redaction.describe(e)))
                .onFailure()
                .recoverWithNull();
    }

    /** One round of {@link #checkOnSchedule}: the due set-aside keys' balances, then the crossing. */
    public Uni<Void> check() {
        return keys.unfundedDueForCheck(checkInterval.minusMillis(checkInterval.toMillis() / 10))
                .onItem()
                .transformToMulti(due -> Multi.createFrom().iterable(due))
                .onItem()
                .transformToUniAndConcatenate(keyId -> kie.credits(
                                keys.keyFor(keyId).orElseThrow())
                        .chain(balance -> balanceSeen(keyId, balance))
                        .onFailure(KieException.class)
                        .recoverWithItem(e -> {
                            LOG.warnf(
                                    "KIE balance of set-aside key %s not read: %s",
                                    keyId, ((KieException) e).classification().reason());
                            return null;
                        }))
                .collect()
                .last()
                .chain(() -> crossing());
    }

    /** Records whether any key can pay; when this instance flipped it, the admins are told. */
    private Uni<Void> crossing() {
        return keys.fundingCrossing().chain(flipped -> {
            if (flipped.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            boolean noneCanPay = flipped.get();
            if (noneCanPay) {
                LOG.errorf("ALARM: no KIE key can pay for a video; videos wait for a top-up (up to %s)", fundingWait);
            } else {
                LOG.infof("A KIE key can pay again; waiting videos go on");
            }
            return tellAdmins(ProgressNotifier.TEXTS.get(
                    Language.DEFAULT,
                    noneCanPay ? "admin.kie.funds.none" : "admin.kie.funds.back",
                    fundingWait.toMinutes()));
        });
    }

    /** {@link #crossing} without holding up the caller (a job's submission): failures are logged. */
    private void announceCrossing() {
        crossing()
                .subscribe()
                .with(ignored -> {}, e -> LOG.warnf("KIE funding state not recorded: %s", Redaction.describe(e)));
    }

    /** A Telegram message to every admin ({@code ADMIN_USER_IDS}); one that fails is logged, the others still go. */
    public Uni<Void> tellAdmins(String text) {
        if (admins.isEmpty()) {
            LOG.warn("No admin chat configured (ADMIN_USER_IDS): the KIE alarm is only in the log and metrics");
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom()
                .iterable(admins)
                .onItem()
                .transformToUniAndConcatenate(chatId -> bot.send(
                                chatId,
                                "sendMessage",
                                client -> client.execute(SendMessage.builder()
                                        .chatId(chatId)
                                        .text(text)
                                        .build()))
                        .replaceWithVoid()
                        .onFailure()
                        .recoverWithItem(e -> {
                            LOG.warnf("KIE alarm not delivered to admin chat %d: %s", chatId, Redaction.describe(e));
                            return null;
                        }))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
