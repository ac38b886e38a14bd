package com.neurocards.emulators.telegram;

import com.neurocards.emulators.HttpEmulator;
import com.neurocards.emulators.ManualClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A Telegram Bot API emulator that behaves like the real one, errors and limits included, plus a control API
 * (HTTP under {@code /control}, and these Java methods) to act as users and to read what the bot did.
 * Thread-safe: Vert.x handlers and test threads may use it at the same time.
 *
 * <pre>{@code
 * var telegram = new TelegramEmulator().start(0);
 * telegram.user(42).sendText("/start");
 * await().until(() -> telegram.lastBotMessage(42).isPresent());
 * }</pre>
 */
public class TelegramEmulator extends HttpEmulator {

    public static final String DEFAULT_TOKEN = "123456:TEST-TOKEN";
    public static final String DEFAULT_USERNAME = "neurocards_test_bot";

    private final String token;
    private final String username;
    private final long botId;
    private final Limits limits;
    private final Clock clock;
    private final JsonObject botUser;

    private final Files files = new Files();
    private final Faults faults = new Faults();
    private final CallLog calls;
    private final EventLog events;
    private final WebhookSender webhook;
    private final Updates updates;
    private final Chats chats;
    private final CallbackQueries callbacks;
    private final Payments payments;
    private final RateLimiter rateLimiter;
    private final BotMethods botMethods;
    private final MethodRegistry methods = new MethodRegistry();
    private volatile String instanceId = UUID.randomUUID().toString();

    public TelegramEmulator() {
        this(DEFAULT_TOKEN, DEFAULT_USERNAME);
    }

    public TelegramEmulator(String token, String username) {
        this(token, username, Limits.defaults());
    }

    public TelegramEmulator(String token, String username, Limits limits) {
        this(token, username, limits, Clock.systemUTC());
    }

    /** @param clock the emulator's "now" for dates, rate windows and answer deadlines (see {@link ManualClock}) */
    public TelegramEmulator(String token, String username, Limits limits, Clock clock) {
        super("Telegram Bot API");
        this.token = token;
        this.username = username;
        this.botId = botIdOf(token);
        this.limits = limits;
        this.clock = clock;
        this.botUser = new JsonObject()
                .put("id", botId)
                .put("is_bot", true)
                .put("first_name", "NeuroCards Test Bot")
                .put("username", username);
        this.calls = new CallLog(clock);
        this.events = new EventLog(clock);
        this.webhook = new WebhookSender(this::vertx, limits, clock);
        this.updates = new Updates(this::vertx, webhook);
        this.chats = new Chats(botUser, clock, events, updates);
        this.callbacks = new CallbackQueries(chats, updates, events, clock, limits);
        this.payments = new Payments(chats, updates, events, clock, limits, this::vertx);
        this.rateLimiter = new RateLimiter(limits, clock);
        this.botMethods = new BotMethods(botUser, chats);
        botMethods.register(methods);
        new UpdateMethods(updates, webhook).register(methods);
        new MessageMethods(chats, callbacks, rateLimiter, limits).register(methods);
        new MediaMethods(chats, files, rateLimiter, limits, this::vertx).register(methods);
        new PaymentMethods(chats, payments, rateLimiter, limits).register(methods);
    }

    @Override
    protected void routes(Router router, Vertx vertx) {
        new BotApi(token, methods, faults, calls, files, limits).mount(router, vertx);
        new ControlApi(this, vertx).mount(router);
        WebChat.mount(router);
    }

    @Override
    public synchronized TelegramEmulator start(int port) {
        super.start(port);
        return this;
    }

    @Override
    public synchronized TelegramEmulator start(String host, int port) {
        super.start(host, port);
        return this;
    }

    // ---- identity and addresses --------------------------------------------------------------------------------

    public String token() {
        return token;
    }

    /** The token as logs may show it. */
    public String maskedToken() {
        return BotApi.mask(token);
    }

    public String botUsername() {
        return username;
    }

    public long botId() {
        return botId;
    }

    public Limits limits() {
        return limits;
    }

    /** The download URL of a file_path returned by getFile. */
    public String fileUrl(String filePath) {
        return baseUrl() + "/file/bot" + token + "/" + filePath;
    }

    // ---- acting as users ---------------------------------------------------------------------------------------

    /** The user with this id (created on first use with a default profile). */
    public SimulatedUser user(long userId) {
        UserProfile profile = chats.exists(userId) ? chats.user(userId) : UserProfile.of(userId);
        return new SimulatedUser(this, profile);
    }

    /** The user with this profile (updating the name/username/language if the chat exists). */
    public SimulatedUser user(UserProfile profile) {
        return new SimulatedUser(this, profile);
    }

    /** Sends the bot another successful_payment for a paid charge (by charge id or pre_checkout_query id). */
    public void forceDuplicatePayment(String chargeOrQueryId) {
        payments.duplicateSuccessfulPayment(chargeOrQueryId);
    }

    /**
     * Sends the bot a message from {@code userId} with any content (merged into the message object), e.g. a
     * malformed {@code successful_payment} real Telegram would never send: for tests of what the bot does with an
     * update it cannot process.
     */
    public ChatMessage forceMessage(long userId, JsonObject content) {
        return chats.addUserMessage(user(userId).profile(), content);
    }

    /** Telegram refunds a paid charge on its own (support, a dispute): the bot gets a refunded_payment message. */
    public Refund refundByTelegram(String chargeOrQueryId) {
        return payments.refundByTelegram(chargeOrQueryId);
    }

    /**
     * Sends the bot a successful_payment from {@code userId} that no answered pre-checkout led to, with any payload,
     * currency and amount (a forged or altered payment; real Telegram never sends one). Returns the PAID attempt.
     */
    public PaymentAttempt forceUncheckedPayment(long userId, String payload, String currency, int totalAmount) {
        if (!chats.exists(userId)) {
            throw new IllegalArgumentException("no chat with user " + userId + " yet");
        }
        return payments.sendUncheckedPayment(userId, payload, currency, totalAmount);
    }

    // ---- reading what happened ---------------------------------------------------------------------------------

    public List<Long> chatIds() {
        return chats.chatIds();
    }

    /** Every message of the chat, both sides, in order (deleted ones flagged, not removed). */
    public List<ChatMessage> messages(long chatId) {
        return chats.exists(chatId) ? chats.messages(chatId) : List.of();
    }

    public List<ChatMessage> botMessages(long chatId) {
        return messages(chatId).stream().filter(ChatMessage::fromBot).toList();
    }

    public Optional<ChatMessage> lastBotMessage(long chatId) {
        List<ChatMessage> bot = botMessages(chatId);
        return bot.isEmpty() ? Optional.empty() : Optional.of(bot.get(bot.size() - 1));
    }

    public Optional<ChatMessage> message(long chatId, int messageId) {
        return chats.message(chatId, messageId);
    }

    public boolean isBlocked(long chatId) {
        return chats.exists(chatId) && chats.isBlocked(chatId);
    }

    public List<JsonObject> chatActions(long chatId) {
        return chats.exists(chatId) ? chats.chatActions(chatId) : List.of();
    }

    public Optional<CallbackAnswer> callbackQuery(String callbackQueryId) {
        return callbacks.get(callbackQueryId);
    }

    public List<CallbackAnswer> callbackQueries(long chatId) {
        return callbacks.inChat(chatId);
    }

    public List<Invoice> invoices(long chatId) {
        return payments.invoices(chatId);
    }

    public Optional<PaymentAttempt> payment(String preCheckoutQueryId) {
        return payments.attempt(preCheckoutQueryId);
    }

    public List<PaymentAttempt> payments(long chatId) {
        return payments.attempts(chatId);
    }

    public List<Refund> refunds() {
        return payments.refunds();
    }

    /** The commands set with setMyCommands for the default scope and no language. */
    public JsonArray commands() {
        return botMethods.commands("default/").copy();
    }

    public Optional<StoredFile> file(String fileId) {
        return files.byId(fileId);
    }

    public Optional<byte[]> fileBytes(String fileId) {
        return files.byId(fileId).map(StoredFile::bytes);
    }

    /** Every Bot API call received, in order. */
    public List<RecordedCall> calls() {
        return calls.all();
    }

    /** The calls of one method (any case: "sendMessage" matches "/sendmessage"). */
    public List<RecordedCall> calls(String method) {
        return calls.of(method);
    }

    /** Events after the cursor (0 = all); the cursor is {@link EmulatorEvent#seq()}. */
    public List<EmulatorEvent> events(long sinceCursor) {
        return events.since(sinceCursor, null);
    }

    public long eventCursor() {
        return events.cursor();
    }

    /** Updates queued and not yet confirmed by getUpdates or delivered to the webhook. */
    public List<JsonObject> pendingUpdates() {
        return updates.pending();
    }

    public Optional<String> webhookUrl() {
        return Optional.ofNullable(webhook.current()).map(WebhookSender.Webhook::url);
    }

    // ---- faults and reset --------------------------------------------------------------------------------------

    /** The next {@code times} calls of {@code method} ("*" = any method) fail with {@code error}, doing nothing. */
    public void failNext(String method, int times, BotApiError error) {
        faults.add(method, times, new Faults.Fault(error, null));
    }

    /** The next {@code times} calls of {@code method} are answered (normally) only after {@code delay}. */
    public void delayNext(String method, int times, Duration delay) {
        faults.add(method, times, new Faults.Fault(null, delay));
    }

    /**
     * The next {@code times} calls of {@code method} run as usual (a sent message is in the chat) and then lose their
     * answer: the connection is closed without a response, as when Telegram took an upload and its answer was lost.
     * Recorded with status 0.
     */
    public void dropAnswerNext(String method, int times) {
        faults.add(method, times, new Faults.Fault(null, null, true));
    }

    public void clearFaults() {
        faults.clear();
    }

    /** Forgets chats, files, updates, calls, payments, faults, the webhook and rate windows; keeps token and limits. */
    public void reset() {
        faults.clear();
        webhook.delete();
        updates.reset();
        chats.clear();
        callbacks.clear();
        payments.clear();
        files.clear();
        calls.clear();
        events.clear();
        rateLimiter.reset();
        botMethods.clear();
        instanceId = UUID.randomUUID().toString();
    }

    /** The URL of the browser chat page (see README.md). */
    public String chatPageUrl() {
        return baseUrl() + WebChat.PATH;
    }

    // ---- for the package ---------------------------------------------------------------------------------------

    Chats chats() {
        return chats;
    }

    Files files() {
        return files;
    }

    CallbackQueries callbacks() {
        return callbacks;
    }

    Payments payments() {
        return payments;
    }

    EventLog eventLog() {
        return events;
    }

    CallLog callLog() {
        return calls;
    }

    Faults faults() {
        return faults;
    }

    /** Changes on every start of the process and every {@link #reset()}: readers of the event log start over. */
    String instanceId() {
        return instanceId;
    }

    JsonObject botUser() {
        return botUser.copy();
    }

    private static long botIdOf(String token) {
        int colon = token.indexOf(':');
        try {
            return Long.parseLong(colon < 0 ? token : token.substring(0, colon));
        } catch (NumberFormatException e) {
            return 123456L;
        }
    }
}
