package com.neurocards.emulators.telegram;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One user talking to a bot through the emulator, for tests. Every action waits until the bot has handled it: a bot
 * that confirms an update (its next getUpdates offset) only after handling it and replying — as the NeuroCards
 * gateway does — has then answered.
 */
public final class BotChat {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final TelegramEmulator telegram;
    private final SimulatedUser user;
    private final Duration wait;

    public BotChat(TelegramEmulator telegram, long userId) {
        this(telegram, userId, WAIT);
    }

    /**
     * A chat whose steps wait up to {@code wait} for the bot (15 s otherwise): longer where the bot may be down for a
     * while, as in the chaos run, which kills gateways on purpose.
     */
    public BotChat(TelegramEmulator telegram, long userId, Duration wait) {
        this.telegram = telegram;
        this.user = telegram.user(userId);
        this.wait = wait;
    }

    public long id() {
        return user.id();
    }

    public SimulatedUser user() {
        return user;
    }

    public void send(String text) {
        user.sendText(text);
        awaitHandled();
    }

    public ChatMessage sendPhoto() {
        ChatMessage sent = user.sendPhoto(SampleMedia.jpeg(320, 240));
        awaitHandled();
        return sent;
    }

    public ChatMessage sendDocument(byte[] bytes, String name, String mime) {
        ChatMessage sent = user.sendDocument(bytes, name, mime, null);
        awaitHandled();
        return sent;
    }

    public void sendSticker() {
        user.sendSticker("🙂");
        awaitHandled();
    }

    public void sendVoice() {
        user.sendVoice(2);
        awaitHandled();
    }

    /** Presses the newest button with this data; returns the answer the bot gave. */
    public CallbackAnswer press(String data) {
        String id = user.press(data);
        return awaitAnswer(id);
    }

    /** Presses a button on a given message (an old one, say). */
    public CallbackAnswer press(int messageId, String data) {
        String id = user.press(messageId, data);
        return awaitAnswer(id);
    }

    private CallbackAnswer awaitAnswer(String queryId) {
        awaitHandled();
        await().atMost(wait).until(() -> telegram.callbackQuery(queryId)
                .map(CallbackAnswer::answered)
                .orElse(false));
        return telegram.callbackQuery(queryId).orElseThrow();
    }

    /** Waits until the bot has confirmed every update of this user (other users may keep talking meanwhile). */
    public void awaitHandled() {
        await().atMost(wait).pollInterval(Duration.ofMillis(20)).until(() -> telegram.pendingUpdates().stream()
                .noneMatch(this::fromThisUser));
    }

    private boolean fromThisUser(JsonObject update) {
        for (String field : update.fieldNames()) {
            if (update.getValue(field) instanceof JsonObject body) {
                JsonObject from = body.getJsonObject("from");
                if (from != null && from.getLong("id", 0L) == user.id()) {
                    return true;
                }
            }
        }
        return false;
    }

    public List<ChatMessage> botMessages() {
        return telegram.botMessages(user.id());
    }

    public int botCount() {
        return botMessages().size();
    }

    public List<ChatMessage> botMessagesSince(int count) {
        List<ChatMessage> all = botMessages();
        return all.subList(Math.min(count, all.size()), all.size());
    }

    public ChatMessage last() {
        return telegram.lastBotMessage(user.id()).orElseThrow(() -> new AssertionError("the bot said nothing"));
    }

    /** The text or caption of the bot's last message. */
    public String lastText() {
        ChatMessage last = last();
        return last.text() != null ? last.text() : last.caption();
    }

    /** The data of the newest button whose data starts with {@code prefix}. */
    public String button(String prefix) {
        return findButton(prefix).orElseThrow(() -> new AssertionError("no button '" + prefix + "...' from the bot"));
    }

    public Optional<String> findButton(String prefix) {
        List<ChatMessage> all = botMessages();
        for (int i = all.size() - 1; i >= 0; i--) {
            for (InlineButton b : all.get(i).buttons()) {
                if (b.callbackData() != null && b.callbackData().startsWith(prefix)) {
                    return Optional.of(b.callbackData());
                }
            }
        }
        return Optional.empty();
    }

    /** The message carrying the newest button with this data. */
    public ChatMessage messageWithButton(String data) {
        List<ChatMessage> all = botMessages();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).buttons().stream().anyMatch(b -> data.equals(b.callbackData()))) {
                return all.get(i);
            }
        }
        throw new AssertionError("no message with button " + data);
    }
}
