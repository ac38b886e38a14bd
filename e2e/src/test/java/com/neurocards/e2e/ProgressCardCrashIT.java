package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Exactly one progress message per request, whatever crashes: the gateway, then the pipeline, killed (SIGKILL) at
 * each point between the seller's Confirm and the first progress update, one round per point, each round a new seller
 * ordering one video. The progress is shown on the confirmation card itself, whose id is known before anything is
 * sent, so a retry can only edit it again: every seller ends with the card reading "finished", no button left on it,
 * and no other message from the bot after it but the video. (Before the card carried the progress, a pipeline killed
 * after sending "started" and before recording its id sent a second one on restart.)
 */
class ProgressCardCrashIT extends WholeSystemTest {

    /** Long enough for the kill to land while the call waits, short enough for Telegram to then make it anyway. */
    private static final Duration HELD = Duration.ofSeconds(3);

    /**
     * How long the photo's first getFile is held at the pipeline's kill points: the video is created at KIE only after
     * it, so the kill lands before the create even on a loaded machine. (The notify stage edits the card while the
     * prompt and submit stages go on; a create the kill interrupted is never made again — SubmitCrashWindowIT — and
     * would end the round in a refund, which is not what these points are about.) The held answer goes to the killed
     * process; its successor asks again.
     */
    private static final Duration PHOTO_HELD = Duration.ofSeconds(15);

    /** Where, after the Confirm press, a service is killed. */
    enum KillPoint {
        /** The gateway committed the Confirm; its answer to the press is held, so its markup edit never leaves. */
        GATEWAY_CONFIRM_COMMITTED,
        /** The gateway's markup edit is held: the gateway dies waiting, Telegram removes the buttons anyway. */
        GATEWAY_MARKUP_EDIT_SENT,
        /**
         * Billing debited the request: the pipeline dies with generation.funded on its way or in its hands (before the
         * video is created at KIE).
         */
        PIPELINE_FUNDED,
        /** The pipeline's first caption edit is held: it dies waiting, Telegram makes the edit, nothing is recorded. */
        PIPELINE_FIRST_EDIT_SENT,
        /** The progress row with the first text is committed: the pipeline dies right after its first update. */
        PIPELINE_FIRST_EDIT_RECORDED
    }

    @Test
    void killedAtEveryPointBetweenConfirmAndTheFirstUpdateEachRequestHasOneProgressMessageTheCard() throws Exception {
        for (KillPoint point : KillPoint.values()) {
            BotChat seller = new BotChat(system.telegram, newUserId());
            String draft = toCard(seller, "Льняная скатерть ручной работы, 140×180 см №" + point.ordinal());
            String confirm = seller.button("ok:" + draft + ":");
            ChatMessage card = seller.messageWithButton(confirm);
            long textsBefore = calls("sendMessage", "chat_id", seller.id());

            switch (point) {
                case GATEWAY_CONFIRM_COMMITTED -> {
                    system.telegram.delayNext("answerCallbackQuery", 1, HELD);
                    String query = seller.user().press(confirm);
                    awaitPoint(
                            point,
                            () -> generations(seller.id()) == 1
                                    && calls("answerCallbackQuery", "callback_query_id", query) == 1);
                    restart(point);
                }
                case GATEWAY_MARKUP_EDIT_SENT -> {
                    system.telegram.delayNext("editMessageReplyMarkup", 1, HELD);
                    seller.user().press(confirm);
                    awaitPoint(point, () -> calls("editMessageReplyMarkup", "chat_id", seller.id()) == 1);
                    restart(point);
                }
                case PIPELINE_FUNDED -> {
                    system.telegram.delayNext("getFile", 1, PHOTO_HELD);
                    seller.press(confirm);
                    awaitPoint(point, () -> debits(seller.id()) == 1);
                    restart(point);
                }
                case PIPELINE_FIRST_EDIT_SENT -> {
                    system.telegram.delayNext("getFile", 1, PHOTO_HELD);
                    system.telegram.delayNext("editMessageCaption", 1, HELD);
                    seller.press(confirm);
                    awaitPoint(point, () -> calls("editMessageCaption", "chat_id", seller.id()) == 1);
                    restart(point);
                }
                case PIPELINE_FIRST_EDIT_RECORDED -> {
                    system.telegram.delayNext("getFile", 1, PHOTO_HELD);
                    seller.press(confirm);
                    awaitPoint(
                            point,
                            () -> count(
                                            "SELECT count(*) FROM pipeline.progress_message "
                                                    + "WHERE chat_id = ? AND last_text IS NOT NULL",
                                            seller.id())
                                    == 1);
                    restart(point);
                }
            }

            // The round ends with the video delivered and the card saying so, before the next round's held call.
            try {
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> videos(seller).size() == 1
                                && text(system.telegram
                                                .message(seller.id(), card.messageId())
                                                .orElseThrow())
                                        .startsWith("✅"));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("after a kill at " + point + " the request did not end: " + state(seller), e);
            }
            Thread.sleep(2000); // room for a late duplicate to show up, if there were one

            ChatMessage shown =
                    system.telegram.message(seller.id(), card.messageId()).orElseThrow();
            assertThat(text(shown))
                    .as("after a kill at %s: the card shows the request's end", point)
                    .startsWith("✅")
                    .contains("Отправлено: 1 из 1");
            assertThat(shown.buttons())
                    .as("after a kill at %s: no button left on the card", point)
                    .isEmpty();
            assertThat(shown.editCount())
                    .as("after a kill at %s: the card was edited", point)
                    .isGreaterThan(0);
            List<ChatMessage> after = seller.botMessages().stream()
                    .filter(m -> m.messageId() > card.messageId())
                    .toList();
            assertThat(after)
                    .as("after a kill at %s: the bot's messages after the card are the video only", point)
                    .hasSize(1)
                    .allMatch(WholeSystemTest::isVideo);
            assertThat(calls("sendMessage", "chat_id", seller.id()) - textsBefore)
                    .as("after a kill at %s: no text message sent after the card, not even one that failed", point)
                    .isZero();
            assertThat(debits(seller.id()))
                    .as("after a kill at %s: debited once", point)
                    .isEqualTo(1);
        }
    }

    /** From /start to the confirmation card (one video, no wishes); returns the draft number. */
    private static String toCard(BotChat chat, String description) {
        chat.send("/start");
        chat.press("gen");
        chat.sendPhoto();
        chat.send(description);
        String draft = chat.button("tpl:").split(":")[1];
        chat.press("tpl:" + draft + ":AD");
        chat.send("-");
        chat.press("mdl:" + draft + ":fast");
        chat.press("cnt:" + draft + ":1");
        return draft;
    }

    /** Kills the service the point is about at once, and starts it again. */
    private static void restart(KillPoint point) {
        if (point.name().startsWith("GATEWAY")) {
            system.gateway.kill();
            system.gateway.start();
        } else {
            system.pipeline.kill();
            system.pipeline.start();
        }
    }

    /** Polls every few milliseconds: some of the windows aimed at are narrow. */
    private static void awaitPoint(KillPoint point, Callable<Boolean> reached) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!reached.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the kill point " + point + " was not reached");
            }
            Thread.sleep(2);
        }
    }

    /** The bot's calls of {@code method} whose parameter {@code name} is {@code value}, however they were answered. */
    private static long calls(String method, String name, Object value) {
        return system.telegram.calls(method).stream()
                .filter(call -> String.valueOf(value).equals(call.param(name)))
                .count();
    }

    /** What the database and the chat say about the seller's request, for a failure message. */
    private static String state(BotChat seller) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection connection = system.infra.database().connect()) {
            for (String sql : List.of(
                    "SELECT 'job', job_id, status, failed_stage, error_class, failure_reason FROM pipeline.job WHERE user_id = ?",
                    "SELECT 'progress', request_id, message_id, on_card, left(last_text, 80), '' FROM pipeline.progress_message"
                            + " WHERE chat_id = ?",
                    "SELECT 'journal', event_type, routing_key, coalesce(dead_letter_stage, ''), coalesce(error_class, ''),"
                            + " left(coalesce(dead_letter_cause, ''), 120) FROM pipeline.journal WHERE request_id IN"
                            + " (SELECT request_id FROM gateway.generation WHERE user_id = ?) ORDER BY id")) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setLong(1, seller.id());
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            out.append("\n  ");
                            for (int i = 1; i <= 6; i++) {
                                out.append(rows.getString(i)).append(' ');
                            }
                        }
                    }
                } catch (SQLException e) {
                    out.append("\n  (").append(e.getMessage()).append(')');
                }
            }
        }
        out.append("\n  chat: ");
        seller.botMessages()
                .forEach(m ->
                        out.append("\n    ").append(m.messageId()).append(' ').append(text(m)));
        return out.toString();
    }

    private static long generations(long userId) throws Exception {
        return count("SELECT count(*) FROM gateway.generation WHERE user_id = ?", userId);
    }

    private static long debits(long userId) throws Exception {
        return count("SELECT count(*) FROM billing.ledger_entry WHERE user_id = ? AND kind = 'DEBIT'", userId);
    }
}
