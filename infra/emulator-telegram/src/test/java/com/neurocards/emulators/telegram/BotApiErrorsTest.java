package com.neurocards.emulators.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw HTTP: the Bot API's envelope, encodings, and its errors with Telegram's own texts. */
class BotApiErrorsTest {

    static TelegramEmulator telegram;
    static BotHttp http;

    @BeforeAll
    static void start() {
        telegram = new TelegramEmulator("777:SECRET-TOKEN", "shop_bot", Limits.relaxed()).start(0);
        http = new BotHttp(telegram);
    }

    @AfterAll
    static void stop() {
        telegram.close();
    }

    @BeforeEach
    void reset() {
        telegram.reset();
        telegram.user(42).sendText("/start");
    }

    static JsonObject text(String text) {
        return new JsonObject().put("chat_id", 42).put("text", text);
    }

    static JsonObject keyboard(String callbackData) {
        return new JsonObject()
                .put(
                        "inline_keyboard",
                        new JsonArray()
                                .add(new JsonArray()
                                        .add(new JsonObject().put("text", "Go").put("callback_data", callbackData))));
    }

    @Test
    void wrongTokenIs401AndUnknownMethodIs404() {
        var wrong = http.callWithToken("777:WRONG", "getMe", new JsonObject());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body())
                .isEqualTo(new JsonObject("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}"));

        var unknown = http.call("sendTelepathy", new JsonObject());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body())
                .isEqualTo(new JsonObject("{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}"));
    }

    @Test
    void methodNamesAreCaseInsensitiveAndEveryEncodingIsAccepted() {
        assertThat(http.call("GETME", new JsonObject()).result().getString("username"))
                .isEqualTo("shop_bot");
        assertThat(http.form(
                                "sendmessage",
                                Map.of(
                                        "chat_id",
                                        "42",
                                        "text",
                                        "form",
                                        "reply_markup",
                                        keyboard("a").encode()))
                        .result()
                        .getJsonObject("reply_markup"))
                .isEqualTo(keyboard("a"));
        assertThat(http.query("sendMessage", "chat_id=42&text=query").result().getString("text"))
                .isEqualTo("query");
        var multipart = http.multipart(
                "sendDocument",
                Map.of("chat_id", "42", "reply_markup", keyboard("b").encode()),
                "document",
                "price.pdf",
                "%PDF-1.4".getBytes());
        assertThat(multipart.result().getJsonObject("document").getString("file_name"))
                .isEqualTo("price.pdf");
        assertThat(multipart.result().getJsonObject("reply_markup")).isEqualTo(keyboard("b"));
        assertThat(telegram.calls("sendMessage")).hasSize(2);
        assertThat(telegram.calls("sendMessage").get(0).param("text")).isEqualTo("form");
    }

    @Test
    void messageShapesAreTheBotApis() {
        JsonObject message = http.call("sendMessage", text("<b>Hi</b> there").put("parse_mode", "HTML"))
                .result();
        assertThat(message.getInteger("message_id")).isEqualTo(2);
        assertThat(message.getJsonObject("from").getBoolean("is_bot")).isTrue();
        assertThat(message.getJsonObject("chat").getString("type")).isEqualTo("private");
        assertThat(message.getLong("date")).isPositive();
        assertThat(message.getString("text")).isEqualTo("Hi there");
        assertThat(message.getJsonArray("entities").getJsonObject(0))
                .isEqualTo(new JsonObject().put("offset", 0).put("length", 2).put("type", "bold"));
    }

    @Test
    void textLimits() {
        assertThat(http.call("sendMessage", text("")).description()).isEqualTo("Bad Request: message text is empty");
        assertThat(http.call("sendMessage", text("x".repeat(4096))).status()).isEqualTo(200);
        var tooLong = http.call("sendMessage", text("x".repeat(4097)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body())
                .isEqualTo(new JsonObject()
                        .put("ok", false)
                        .put("error_code", 400)
                        .put("description", "Bad Request: message is too long"));
        assertThat(http.call("sendMessage", text("<b>open").put("parse_mode", "HTML"))
                        .description())
                .isEqualTo("Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"");
        assertThat(http.call("sendMessage", text("1.5").put("parse_mode", "MarkdownV2"))
                        .description())
                .startsWith("Bad Request: can't parse entities: Character '.' is reserved");
    }

    @Test
    void captionLimit() {
        var tooLong = http.multipart(
                "sendPhoto",
                Map.of("chat_id", "42", "caption", "c".repeat(1025)),
                "photo",
                "p.png",
                SampleMedia.png(50, 50));
        assertThat(tooLong.description()).isEqualTo("Bad Request: message caption is too long");
        var fits = http.multipart(
                "sendPhoto",
                Map.of("chat_id", "42", "caption", "c".repeat(1024)),
                "photo",
                "p.png",
                SampleMedia.png(50, 50));
        assertThat(fits.status()).isEqualTo(200);
    }

    @Test
    void chatNotFoundAndBadRequests() {
        assertThat(http.call("sendMessage", new JsonObject().put("chat_id", 999).put("text", "x"))
                        .description())
                .isEqualTo("Bad Request: chat not found");
        assertThat(http.call("sendMessage", new JsonObject().put("text", "x")).description())
                .isEqualTo("Bad Request: chat_id is empty");
        assertThat(http.call(
                                "sendChatAction",
                                new JsonObject().put("chat_id", 42).put("action", "dancing"))
                        .description())
                .isEqualTo("Bad Request: wrong parameter action in request");
        assertThat(http.call("sendPhoto", new JsonObject().put("chat_id", 42).put("photo", "not-a-file-id"))
                        .description())
                .isEqualTo("Bad Request: wrong file identifier/HTTP URL specified");
        assertThat(http.multipart("sendPhoto", Map.of("chat_id", "42"), "photo", "x.jpg", "not an image".getBytes())
                        .description())
                .isEqualTo("Bad Request: IMAGE_PROCESS_FAILED");
        assertThat(http.call("getFile", new JsonObject().put("file_id", "nope")).description())
                .isEqualTo("Bad Request: invalid file_id");
    }

    @Test
    void inlineKeyboardsAreValidated() {
        assertThat(http.call("sendMessage", text("x").put("reply_markup", keyboard("d".repeat(64))))
                        .status())
                .isEqualTo(200);
        assertThat(http.call("sendMessage", text("x").put("reply_markup", keyboard("d".repeat(65))))
                        .description())
                .isEqualTo("Bad Request: BUTTON_DATA_INVALID");
        assertThat(http.call("sendMessage", text("x").put("reply_markup", keyboard("")))
                        .description())
                .isEqualTo("Bad Request: BUTTON_DATA_INVALID");
        // 22 Cyrillic letters are 44 bytes: the limit counts bytes, not characters
        assertThat(http.call("sendMessage", text("x").put("reply_markup", keyboard("ж".repeat(33))))
                        .description())
                .isEqualTo("Bad Request: BUTTON_DATA_INVALID");
        JsonObject noAction = new JsonObject()
                .put(
                        "inline_keyboard",
                        new JsonArray().add(new JsonArray().add(new JsonObject().put("text", "Just text"))));
        assertThat(http.call("sendMessage", text("x").put("reply_markup", noAction))
                        .description())
                .isEqualTo("Bad Request: text buttons are unallowed in the inline keyboard");
        assertThat(http.form("sendMessage", Map.of("chat_id", "42", "text", "x", "reply_markup", "{broken"))
                        .description())
                .isEqualTo("Bad Request: can't parse reply keyboard markup JSON object");
    }

    @Test
    void editsAndDeletes() {
        int id = http.call("sendMessage", text("Step 1").put("reply_markup", keyboard("next")))
                .result()
                .getInteger("message_id");
        var same = http.call(
                "editMessageText", text("Step 1").put("message_id", id).put("reply_markup", keyboard("next")));
        assertThat(same.description())
                .isEqualTo(
                        "Bad Request: message is not modified: specified new message content"
                                + " and reply markup are exactly the same as a current content and reply markup of the message");

        var edited = http.call("editMessageText", text("Step 2").put("message_id", id));
        assertThat(edited.result().getString("text")).isEqualTo("Step 2");
        assertThat(edited.result().containsKey("reply_markup")).isFalse();
        assertThat(edited.result().getLong("edit_date")).isPositive();
        assertThat(http.call(
                                "editMessageReplyMarkup",
                                new JsonObject()
                                        .put("chat_id", 42)
                                        .put("message_id", id)
                                        .put("reply_markup", keyboard("again")))
                        .status())
                .isEqualTo(200);

        ChatMessage stored = telegram.message(42, id).orElseThrow();
        assertThat(stored.text()).isEqualTo("Step 2");
        assertThat(stored.buttons()).extracting(InlineButton::callbackData).containsExactly("again");
        assertThat(stored.history()).extracting(j -> j.getString("text")).containsExactly("Step 1", "Step 2");

        assertThat(http.call("editMessageText", text("x").put("message_id", 999))
                        .description())
                .isEqualTo("Bad Request: message to edit not found");
        assertThat(http.call(
                                "editMessageCaption",
                                new JsonObject()
                                        .put("chat_id", 42)
                                        .put("message_id", id)
                                        .put("caption", "c"))
                        .description())
                .isEqualTo("Bad Request: there is no caption in the message to edit");

        assertThat(http.call(
                                "deleteMessage",
                                new JsonObject().put("chat_id", 42).put("message_id", id))
                        .body()
                        .getBoolean("result"))
                .isTrue();
        assertThat(telegram.message(42, id).orElseThrow().deleted()).isTrue();
        assertThat(http.call(
                                "deleteMessage",
                                new JsonObject().put("chat_id", 42).put("message_id", id))
                        .description())
                .isEqualTo("Bad Request: message to delete not found");
        assertThat(http.call("editMessageText", text("x").put("message_id", id)).description())
                .isEqualTo("Bad Request: message to edit not found");
    }

    @Test
    void callbackQueriesAnsweredOnceAndInTime() {
        int id = http.call("sendMessage", text("Choose").put("reply_markup", keyboard("pick")))
                .result()
                .getInteger("message_id");
        String query = telegram.user(42).press(id, "pick");
        assertThat(http.call(
                                "answerCallbackQuery",
                                new JsonObject()
                                        .put("callback_query_id", query)
                                        .put("text", "Done")
                                        .put("show_alert", true))
                        .body()
                        .getBoolean("result"))
                .isTrue();
        assertThat(telegram.callbackQuery(query).orElseThrow().showAlert()).isTrue();
        assertThat(http.call("answerCallbackQuery", new JsonObject().put("callback_query_id", query))
                        .description())
                .isEqualTo("Bad Request: query is too old and response timeout expired or query ID is invalid");
        assertThat(http.call("answerCallbackQuery", new JsonObject().put("callback_query_id", "123"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void blockedUserGives403UntilUnblocked() {
        telegram.user(42).blockBot();
        var blocked = http.call("sendMessage", text("ping"));
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.description()).isEqualTo("Forbidden: bot was blocked by the user");
        assertThat(http.call(
                                "sendChatAction",
                                new JsonObject().put("chat_id", 42).put("action", "typing"))
                        .status())
                .isEqualTo(403);
        telegram.user(42).unblockBot();
        assertThat(http.call("sendMessage", text("ping")).status()).isEqualTo(200);
        assertThat(telegram.pendingUpdates())
                .extracting(Updates::typeOf)
                .containsExactly("message", "my_chat_member", "my_chat_member");
    }

    @Test
    void commandsAndChatActionsAreRecorded() {
        JsonArray commands = new JsonArray()
                .add(new JsonObject().put("command", "start").put("description", "Begin"))
                .add(new JsonObject().put("command", "paysupport").put("description", "Payment help"));
        assertThat(http.call("setMyCommands", new JsonObject().put("commands", commands))
                        .status())
                .isEqualTo(200);
        assertThat(telegram.commands()).isEqualTo(commands);
        assertThat(http.call(
                                "setMyCommands",
                                new JsonObject()
                                        .put(
                                                "commands",
                                                new JsonArray()
                                                        .add(new JsonObject()
                                                                .put("command", "Bad Command")
                                                                .put("description", "x"))))
                        .description())
                .isEqualTo("Bad Request: BOT_COMMAND_INVALID");
        http.call("sendChatAction", new JsonObject().put("chat_id", 42).put("action", "upload_video"));
        assertThat(telegram.chatActions(42))
                .extracting(a -> a.getString("action"))
                .containsExactly("upload_video");
    }

    @Test
    void userCommandsCarryBotCommandEntities() {
        ChatMessage sent = telegram.user(43).sendText("/start ref_abc");
        assertThat(sent.json().getJsonArray("entities").getJsonObject(0))
                .isEqualTo(new JsonObject().put("offset", 0).put("length", 6).put("type", "bot_command"));
    }
}
