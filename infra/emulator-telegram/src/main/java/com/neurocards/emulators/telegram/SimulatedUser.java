package com.neurocards.emulators.telegram;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * Acting as one Telegram user in the private chat with the bot: everything a person can do in the app that
 * reaches the bot. Obtained from {@link TelegramEmulator#user(long)}. The chat id equals the user id.
 */
public final class SimulatedUser {

    private final TelegramEmulator emulator;
    private final UserProfile profile;

    SimulatedUser(TelegramEmulator emulator, UserProfile profile) {
        this.emulator = emulator;
        this.profile = profile;
        emulator.chats().ensureChat(profile);
    }

    public long id() {
        return profile.id();
    }

    public UserProfile profile() {
        return profile;
    }

    /** Types and sends a text; "/start" and other /commands get their bot_command entities. */
    public ChatMessage sendText(String text) {
        JsonObject content = new JsonObject().put("text", text);
        var entities = TextFormatting.commandEntities(text);
        if (!entities.isEmpty()) {
            content.put("entities", entities);
        }
        return emulator.chats().addUserMessage(profile, content);
    }

    /** Sends a photo (real image bytes: PNG, JPEG, GIF, BMP); Telegram makes thumbnails and keeps the original. */
    public ChatMessage sendPhoto(byte[] imageBytes, String caption) {
        var sizes = emulator.files().storePhoto(imageBytes);
        JsonObject content = new JsonObject()
                .put(
                        "photo",
                        new JsonArray(
                                sizes.stream().map(StoredFile::photoSizeJson).toList()));
        putCaption(content, caption);
        return emulator.chats().addUserMessage(profile, content);
    }

    public ChatMessage sendPhoto(byte[] imageBytes) {
        return sendPhoto(imageBytes, null);
    }

    /** Sends a file "as a file" (uncompressed), e.g. a big product photo as a document. */
    public ChatMessage sendDocument(byte[] bytes, String fileName, String mimeType, String caption) {
        StoredFile file = emulator.files()
                .store(
                        StoredFile.Kind.DOCUMENT,
                        bytes,
                        MediaMethods.documentMime(mimeType, fileName),
                        fileName,
                        0,
                        0,
                        0);
        JsonObject content = new JsonObject().put("document", file.mediaJson());
        putCaption(content, caption);
        return emulator.chats().addUserMessage(profile, content);
    }

    public ChatMessage sendSticker(String emoji) {
        StoredFile file = emulator.files()
                .store(StoredFile.Kind.STICKER, SampleMedia.png(64, 64), "image/webp", null, 512, 512, 0);
        JsonObject sticker = file.mediaJson();
        if (emoji != null) {
            sticker.put("emoji", emoji);
        }
        return emulator.chats().addUserMessage(profile, new JsonObject().put("sticker", sticker));
    }

    /** A voice message of {@code seconds} (the bytes are filler; only their size matters to a bot). */
    public ChatMessage sendVoice(int seconds) {
        StoredFile file = emulator.files()
                .store(StoredFile.Kind.VOICE, new byte[Math.max(1, seconds) * 2000], "audio/ogg", null, 0, 0, seconds);
        return emulator.chats().addUserMessage(profile, new JsonObject().put("voice", file.mediaJson()));
    }

    /** Presses the inline button with this callback_data under a bot message; returns the callback query id. */
    public String press(int messageId, String callbackData) {
        return emulator.callbacks().press(profile.id(), messageId, callbackData);
    }

    /** Presses the button with this callback_data under the bot's latest message that has one. */
    public String press(String callbackData) {
        ChatMessage message = botMessages().stream()
                .filter(m -> !m.deleted() && m.buttons().stream().anyMatch(b -> callbackData.equals(b.callbackData())))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalArgumentException("no bot message with button '" + callbackData + "'"));
        return press(message.messageId(), callbackData);
    }

    /** Pays the invoice: the bot gets a pre_checkout_query; see {@link TelegramEmulator#payment(String)}. */
    public PaymentAttempt pay(int invoiceMessageId) {
        return emulator.payments().pay(profile.id(), invoiceMessageId);
    }

    public void blockBot() {
        emulator.chats().setBlocked(profile.id(), true);
    }

    public void unblockBot() {
        emulator.chats().setBlocked(profile.id(), false);
    }

    public List<ChatMessage> messages() {
        return emulator.messages(profile.id());
    }

    public List<ChatMessage> botMessages() {
        return emulator.botMessages(profile.id());
    }

    public Optional<ChatMessage> lastBotMessage() {
        return emulator.lastBotMessage(profile.id());
    }

    private static void putCaption(JsonObject content, String caption) {
        if (caption != null && !caption.isEmpty()) {
            content.put("caption", caption);
        }
    }
}
