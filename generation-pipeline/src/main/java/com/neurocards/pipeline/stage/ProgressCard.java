package com.neurocards.pipeline.stage;

import com.neurocards.contracts.event.Language;
import com.neurocards.pipeline.config.PipelineConfig;
import com.neurocards.pipeline.job.JobRepository;
import com.neurocards.pipeline.notify.ProgressMessages;
import com.neurocards.pipeline.notify.ProgressNotifier;
import com.neurocards.pipeline.notify.RenderTimes;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.TelegramFailure;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageCaption;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;

/**
 * Shows a request's progress message: renders it from the request's jobs ({@link ProgressNotifier}) and edits it in
 * place when its text changed — the confirmation card's caption when the request names one, else a text message sent
 * the first time. Called in a transaction holding the request's {@code progress_message} row, so two renders of one
 * request never race and the message never goes backwards: by the notify stage for each event, and by the
 * {@link ProgressTicker} while videos render (their elapsed time).
 */
@ApplicationScoped
public class ProgressCard {

    private static final Logger LOG = Logger.getLogger(ProgressCard.class);

    private final BotSender bot;
    private final ProgressMessages progress;
    private final JobRepository jobs;
    private final RenderTimes renderTimes;

    public ProgressCard(BotSender bot, ProgressMessages progress, JobRepository jobs, PipelineConfig config) {
        this.bot = bot;
        this.progress = progress;
        this.jobs = jobs;
        this.renderTimes = new RenderTimes(
                config.progress().usualRenderTime(), config.progress().defaultUsualRenderTime());
    }

    /**
     * Re-renders the request's progress message after an event: on the card when there is one (recorded by the first
     * event that names it), else sent the first time; edited when its text changed.
     */
    public Uni<Void> refresh(
            SqlConnection tx,
            String requestId,
            long chatId,
            Language locale,
            int total,
            Integer cardMessageId,
            boolean retrying,
            boolean awaitingFunding) {
        return progress.lock(tx, requestId, chatId, locale, total, cardMessageId)
                .chain(row -> render(tx, row, retrying, awaitingFunding));
    }

    /**
     * Re-renders a request's progress message with no event of its own (a rendering video's elapsed time), saying what
     * the last event said about retries and top-ups; nothing when another transaction is rendering it right now.
     * Returns whether it was rendered.
     */
    public Uni<Boolean> refreshIfFree(SqlConnection tx, String requestId) {
        return refreshExisting(tx, requestId, true);
    }

    /**
     * Re-renders a request's progress message if it has one already (a refund arrived for one of its jobs), never
     * sending a new one. Returns whether it was rendered.
     */
    public Uni<Boolean> refreshIfShown(SqlConnection tx, String requestId) {
        return refreshExisting(tx, requestId, false);
    }

    private Uni<Boolean> refreshExisting(SqlConnection tx, String requestId, boolean skipLocked) {
        return progress.lockExisting(tx, requestId, skipLocked)
                .chain(row -> row.isEmpty() || row.get().messageId() == null
                        ? Uni.createFrom().item(false)
                        : render(tx, row.get(), row.get().retrying(), row.get().awaitingFunding())
                                .map(rendered -> true));
    }

    private Uni<Void> render(
            SqlConnection tx, ProgressMessages.Progress row, boolean retrying, boolean awaitingFunding) {
        return jobs.progressOf(tx, row.requestId()).chain(states -> {
            String text = ProgressNotifier.progress(
                    row.locale(), row.total(), states, retrying, awaitingFunding, renderTimes, Instant.now());
            if (row.messageId() != null && text.equals(row.lastText())) {
                return Uni.createFrom().voidItem();
            }
            return show(row, text)
                    .chain(shown -> progress.update(
                            tx, row.requestId(), shown.messageId(), shown.onCard(), text, retrying, awaitingFunding));
        });
    }

    /** Where the progress is shown now: a message id (null when the bot was blocked before any existed). */
    private record Shown(Long messageId, boolean onCard) {}

    /** Sends or edits the progress message. */
    private Uni<Shown> show(ProgressMessages.Progress row, String text) {
        Shown same = new Shown(row.messageId(), row.onCard());
        Uni<Shown> shown;
        if (row.messageId() == null) {
            shown = sendProgress(row.chatId(), text);
        } else if (row.onCard()) {
            // No reply_markup: the card's buttons (removed by the gateway at Confirm) stay gone even if that edit
            // was lost to a crash, as an edit without a keyboard removes it.
            shown = bot.send(
                            row.chatId(),
                            "editMessageCaption",
                            client -> client.execute(EditMessageCaption.builder()
                                    .chatId(String.valueOf(row.chatId()))
                                    .messageId(row.messageId().intValue())
                                    .caption(text)
                                    .build()))
                    .replaceWith(same);
        } else {
            shown = bot.send(
                            row.chatId(),
                            "editMessageText",
                            client -> client.execute(EditMessageText.builder()
                                    .chatId(String.valueOf(row.chatId()))
                                    .messageId(row.messageId().intValue())
                                    .text(text)
                                    .build()))
                    .replaceWith(same);
        }
        return shown.onFailure(TelegramFailure.class).recoverWithUni(failure -> {
            TelegramFailure refused = (TelegramFailure) failure;
            if (refused.notModified()) {
                // the message already says this (an edit repeated after a crash): done
                return Uni.createFrom().item(same);
            }
            if (refused.blocked()) {
                LOG.debugf("Chat %d blocked the bot; progress not shown", row.chatId());
                return Uni.createFrom().item(same);
            }
            if (refused.messageGone()) {
                // The seller deleted the card (or the message): the progress goes on in a message of its own.
                return sendProgress(row.chatId(), text);
            }
            return Uni.createFrom().failure(Failures.telegram(refused));
        });
    }

    private Uni<Shown> sendProgress(long chatId, String text) {
        return bot.send(
                        chatId,
                        "sendMessage",
                        client -> client.execute(SendMessage.builder()
                                .chatId(String.valueOf(chatId))
                                .text(text)
                                .build()))
                .map(sent -> new Shown(sent.getMessageId().longValue(), false));
    }
}
