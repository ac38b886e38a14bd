package com.neurocards.pipeline.it;

import com.neurocards.contracts.DelayTier;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Headers;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.RecordedCall;
import com.neurocards.emulators.telegram.SampleMedia;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.TestInfrastructure;
import com.rabbitmq.client.GetResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * What the tests do in place of the gateway and billing: a user sends a photo, billing funds a request, billing
 * refunds failed jobs; and what they read back: job states, queues, chats.
 */
final class PipelineDriver {

    private final TestInfrastructure infra;
    private final TelegramEmulator telegram;

    PipelineDriver(TestInfrastructure infra, TelegramEmulator telegram) {
        this.infra = infra;
        this.telegram = telegram;
    }

    BrokerProbe broker() {
        return infra.broker();
    }

    /** Empties every queue the tests look at. */
    void purgeQueues() {
        for (QueueName queue : QueueName.values()) {
            broker().purge(queue.queueName());
            broker().purge(queue.dlq());
        }
        // retries an earlier test left waiting would otherwise come back in the middle of the next one
        for (DelayTier tier : DelayTier.values()) {
            broker().purge(tier.queueName());
        }
    }

    /** The user's product photo, as Telegram knows it after they sent it to the bot. */
    Photo photoFrom(long userId) {
        ChatMessage sent = telegram.user(userId).sendPhoto(SampleMedia.jpeg(640, 800));
        JsonArray sizes = sent.json().getJsonArray("photo");
        String unique = sizes.getJsonObject(sizes.size() - 1).getString("file_unique_id");
        return new Photo(sent.fileId(), unique);
    }

    /** Billing funded a request of {@code count} videos (from an older gateway: no confirmation card named). */
    Envelope<GenerationFunded> fund(
            long userId, Language locale, Template template, String description, String customPrompt, int count) {
        return fund(userId, locale, template, description, customPrompt, count, "veo3_fast");
    }

    /** Like {@link #fund(long, Language, Template, String, String, int)}, rendered by {@code model}. */
    Envelope<GenerationFunded> fund(
            long userId,
            Language locale,
            Template template,
            String description,
            String customPrompt,
            int count,
            String model) {
        Envelope<GenerationFunded> funded =
                funded(userId, locale, template, description, customPrompt, count, null, model);
        publish(funded);
        return funded;
    }

    /**
     * Billing funded a request of {@code count} videos the user confirmed on the card {@code cardMessageId} (see
     * {@link #sendCard}); not published.
     */
    Envelope<GenerationFunded> funded(
            long userId,
            Language locale,
            Template template,
            String description,
            String customPrompt,
            int count,
            Integer cardMessageId) {
        return funded(userId, locale, template, description, customPrompt, count, cardMessageId, "veo3_fast");
    }

    private Envelope<GenerationFunded> funded(
            long userId,
            Language locale,
            Template template,
            String description,
            String customPrompt,
            int count,
            Integer cardMessageId,
            String model) {
        String requestId = UUID.randomUUID().toString();
        GenerationRequested request = new GenerationRequested(
                requestId,
                userId,
                userId,
                locale,
                photoFrom(userId),
                description,
                template,
                "-",
                customPrompt,
                count,
                model,
                "9:16",
                cardMessageId);
        List<String> jobIds = IntStream.rangeClosed(1, count)
                .mapToObj(i -> requestId + "-" + i)
                .toList();
        return Envelope.of(new GenerationFunded(request, jobIds, count, 10 - count));
    }

    /**
     * Plays the gateway: the bot sends the user a confirmation card (their photo, a caption, a Confirm button), as
     * the Bot API would; returns its message id.
     */
    int sendCard(long userId) {
        JsonObject card = new JsonObject()
                .put("chat_id", userId)
                .put("photo", photoFrom(userId).fileId())
                .put("caption", "Ceramic mug · 1 video · 1 credit")
                .put(
                        "reply_markup",
                        new JsonObject()
                                .put(
                                        "inline_keyboard",
                                        new JsonArray()
                                                .add(new JsonArray()
                                                        .add(new JsonObject()
                                                                .put("text", "Confirm")
                                                                .put("callback_data", "ok:1")))));
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(telegram.baseUrl() + "/bot" + telegram.token() + "/sendPhoto"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(card.encode()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return new JsonObject(answer.body()).getJsonObject("result").getInteger("message_id");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Publishes an event to one queue only (by its name, as a retry or a re-drive reaches it). */
    void publishTo(QueueName queue, Envelope<? extends Event> event) {
        broker().publish(
                        Topology.EXCHANGE,
                        queue.queueName(),
                        BrokerProbe.json(
                                event.id().toString(), event.type(), Map.of(Headers.REQUEST_ID, event.correlationId())),
                        EventCodec.encode(event));
    }

    /** Runs one statement on the pipeline's database; returns the rows it changed. */
    int execute(String sql, String param) {
        try (Connection c = infra.database().connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void publish(Envelope<? extends Event> event) {
        broker().publish(
                        Topology.EXCHANGE,
                        event.eventType().routingKey(),
                        BrokerProbe.json(
                                event.id().toString(), event.type(), Map.of(Headers.REQUEST_ID, event.correlationId())),
                        EventCodec.encode(event));
    }

    /** Plays billing: every generation.failed waiting on billing.refund is refunded (1 credit) once. */
    List<GenerationFailed> refundFailedJobs(long balanceAfter) {
        List<GenerationFailed> failed = new ArrayList<>();
        for (GetResponse message : broker().drain(QueueName.BILLING_REFUND.queueName())) {
            Envelope<GenerationFailed> event = EventCodec.decode(message.getBody(), GenerationFailed.class);
            failed.add(event.payload());
            publish(Envelope.causedBy(
                    event,
                    new CreditsRefunded(
                            event.payload().job(),
                            1,
                            balanceAfter,
                            event.payload().errorClass())));
        }
        return failed;
    }

    /** Job id → status, for one request. */
    Map<String, String> jobStatuses(String requestId) {
        return query("SELECT job_id, status FROM pipeline.job WHERE request_id = ?", requestId);
    }

    /** How many messages of this type the event journal stored for a request. */
    long journalCount(String requestId, String eventType) {
        return Long.parseLong(query(
                        "SELECT 'n', count(*) FROM pipeline.journal WHERE request_id = ? AND event_type = '" + eventType
                                + "'",
                        requestId)
                .get("n"));
    }

    Map<String, String> query(String sql, String param) {
        try (Connection c = infra.database().connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            Map<String, String> out = new HashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one UPDATE (a test setting a job's state directly); returns the rows changed. */
    int update(String sql, String param) {
        try (Connection c = infra.database().connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every sendVideo the pipeline made to {@code chatId}, however Telegram answered it. */
    List<RecordedCall> videoSends(long chatId) {
        return telegram.calls("sendVideo").stream()
                .filter(c -> String.valueOf(chatId).equals(c.param("chat_id")))
                .toList();
    }

    /** The generation.delivered events waiting in the gateway's queue, taken out of it. */
    List<GenerationDelivered> drainDelivered() {
        return broker().drain(QueueName.GATEWAY_UPDATES.queueName()).stream()
                .filter(m -> "generation.delivered".equals(m.getProps().getType()))
                .map(m -> EventCodec.decode(m.getBody(), GenerationDelivered.class)
                        .payload())
                .toList();
    }

    List<ChatMessage> videos(long chatId) {
        return telegram.botMessages(chatId).stream()
                .filter(m -> "video".equals(m.kind()))
                .toList();
    }

    /**
     * The bot's messages that are progress messages ("started", later edited to "finished"): a text message the
     * pipeline sent, or the confirmation card it edits (its caption).
     */
    List<ChatMessage> progressMessages(long chatId) {
        return telegram.botMessages(chatId).stream()
                .filter(m -> !"video".equals(m.kind()) && !"document".equals(m.kind()))
                .filter(m -> {
                    String shown = m.text() != null ? m.text() : m.caption();
                    return shown != null && (shown.startsWith("🎬") || shown.startsWith("✅"));
                })
                .toList();
    }

    /** What a message reads now: its text, or its caption. */
    static String shown(ChatMessage message) {
        return message.text() != null ? message.text() : message.caption();
    }

    /** The bot's sendMessage calls to a chat, whatever became of them. */
    long messagesSent(long chatId) {
        return telegram.calls("sendMessage").stream()
                .filter(call -> String.valueOf(chatId).equals(call.param("chat_id")))
                .count();
    }
}
