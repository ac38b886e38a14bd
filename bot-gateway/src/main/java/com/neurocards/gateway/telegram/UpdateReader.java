package com.neurocards.gateway.telegram;

import com.neurocards.contracts.event.Photo;
import com.neurocards.gateway.conversation.Callback;
import com.neurocards.gateway.conversation.Input;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.Document;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.photo.PhotoSize;

/** Turns a Telegram update into what the gateway acts on; the only place that knows the Bot API's shapes. */
public final class UpdateReader {

    /** Commands that only admins have; from anyone else they are unknown commands. */
    public static final Set<String> ADMIN_COMMANDS = Set.of("grant", "stats");

    private static final Pattern COMMAND =
            Pattern.compile("/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\\s+([\\s\\S]*))?");

    private final Set<Long> admins;

    public UpdateReader(Set<Long> admins) {
        this.admins = Set.copyOf(admins);
    }

    public Incoming read(Update update) {
        long id = update.getUpdateId();
        if (update.hasPreCheckoutQuery()) {
            return new Incoming.PreCheckout(id, update.getPreCheckoutQuery());
        }
        if (update.hasCallbackQuery()) {
            return press(id, update.getCallbackQuery());
        }
        if (update.hasMessage()) {
            return message(id, update.getMessage());
        }
        return new Incoming.Ignored(id, null);
    }

    private Incoming press(long id, CallbackQuery query) {
        long userId = query.getFrom().getId();
        var message = query.getMessage();
        if (message != null && !message.isUserMessage()) {
            return new Incoming.Ignored(id, query.getId());
        }
        long chatId = message != null ? message.getChatId() : userId;
        Integer messageId = message != null ? message.getMessageId() : null;
        return new Incoming.ForConversation(
                id,
                userId,
                chatId,
                AppLanguage.of(query.getFrom().getLanguageCode()),
                new Input.Press(Callback.parse(query.getData()), messageId),
                query.getId());
    }

    private Incoming message(long id, Message message) {
        if (message.getFrom() == null
                || !message.isUserMessage()
                || Boolean.TRUE.equals(message.getFrom().getIsBot())) {
            return new Incoming.Ignored(id, null);
        }
        long userId = message.getFrom().getId();
        long chatId = message.getChatId();
        if (message.hasSuccessfulPayment()) {
            return new Incoming.Paid(id, userId, chatId, message.getSuccessfulPayment());
        }
        if (message.getRefundedPayment() != null) {
            return new Incoming.Refunded(id, userId, chatId, message.getRefundedPayment());
        }
        Input input = input(message);
        if (input == null) {
            return new Incoming.Ignored(id, null);
        }
        if (input instanceof Input.Command command
                && ADMIN_COMMANDS.contains(command.name())
                && admins.contains(userId)) {
            return new Incoming.Admin(id, userId, chatId, command);
        }
        return new Incoming.ForConversation(
                id, userId, chatId, AppLanguage.of(message.getFrom().getLanguageCode()), input, null);
    }

    private static Input input(Message message) {
        if (message.hasText()) {
            Matcher command = COMMAND.matcher(message.getText());
            if (command.matches()) {
                String args = command.group(2) == null ? "" : command.group(2).strip();
                return new Input.Command(command.group(1).toLowerCase(Locale.ROOT), args);
            }
            return new Input.Text(message.getText());
        }
        if (message.hasPhoto() && !message.getPhoto().isEmpty()) {
            PhotoSize largest = message.getPhoto().stream()
                    .max(Comparator.comparingLong(UpdateReader::pixels))
                    .orElseThrow();
            long size = largest.getFileSize() == null ? 0 : largest.getFileSize();
            return new Input.PhotoMessage(new Photo(largest.getFileId(), largest.getFileUniqueId()), size);
        }
        if (message.hasDocument()) {
            Document document = message.getDocument();
            return new Input.DocumentMessage(
                    new Photo(document.getFileId(), document.getFileUniqueId()),
                    document.getMimeType(),
                    document.getFileName(),
                    document.getFileSize() == null ? 0 : document.getFileSize());
        }
        if (message.hasSticker()) {
            return new Input.Unsupported("sticker");
        }
        if (message.hasVoice()) {
            return new Input.Unsupported("voice");
        }
        if (message.hasVideo() || message.hasVideoNote() || message.hasAnimation()) {
            return new Input.Unsupported("video");
        }
        if (message.hasAudio()
                || message.hasLocation()
                || message.hasContact()
                || message.hasPoll()
                || message.hasDice()) {
            return new Input.Unsupported("other");
        }
        return null;
    }

    private static long pixels(PhotoSize size) {
        long area = (long) (size.getWidth() == null ? 0 : size.getWidth())
                * (size.getHeight() == null ? 0 : size.getHeight());
        return area > 0 ? area : (size.getFileSize() == null ? 0 : size.getFileSize());
    }
}
