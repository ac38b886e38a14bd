package com.neurocards.emulators.kie;

import com.neurocards.emulators.HttpEmulator;
import com.neurocards.emulators.ManualClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * An emulator of the KIE API (docs/outside-services.md#kie) on one port: the API paths ({@code /api/v1/...}), the
 * upload paths ({@code /api/file-*-upload}, served files under {@code /files/...}), rendered results
 * ({@code /results/...}) and the control API ({@code /control/...}). It keeps KIE's contract, errors and limits —
 * envelope errors as HTTP 200, 20 creates / 10 s per key, credits, sub-key caps, maintenance, asynchronous
 * moderation, image fetching — and lets a test script outcomes per create or poll, by prompt marker
 * ({@link PromptMarkers}) or through the methods below.
 */
public final class KieEmulator extends HttpEmulator {

    private static final Logger LOG = Logger.getLogger(KieEmulator.class);

    private final KieSettings settings;
    private final KieState state;
    private final Responder responder;
    private final RemoteFetcher fetcher;
    private final TaskEngine engine;
    private Path uploadsDir;

    public KieEmulator() {
        this(KieSettings.defaults());
    }

    public KieEmulator(KieSettings settings) {
        super("KIE");
        this.settings = settings;
        this.state = new KieState(settings);
        this.responder = new Responder(settings);
        this.fetcher = new RemoteFetcher(settings.imageFetchTimeout(), settings.maxImageBytes());
        CallbackSender callbacks = new CallbackSender(
                settings.clock(), settings.callbackTimeout(), state::webhookHmacKey, state.callbacks::add);
        this.engine = new TaskEngine(state, fetcher, callbacks, this::publicUrl);
    }

    @Override
    public synchronized KieEmulator start(int port) {
        super.start(port);
        return this;
    }

    @Override
    public synchronized KieEmulator start(String host, int port) {
        super.start(host, port);
        return this;
    }

    @Override
    protected void routes(Router router, Vertx vertx) {
        try {
            uploadsDir = Files.createTempDirectory("kie-emulator-uploads");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        router.route()
                .handler(BodyHandler.create(uploadsDir.toString())
                        .setBodyLimit(settings.maxUploadBytes())
                        .setDeleteUploadedFilesOnEnd(true));
        CreateFlow creates = new CreateFlow(state, engine, responder);
        PollFlow polls = new PollFlow(state, engine, responder);
        new VeoApi(state, creates, polls).routes(router);
        new MarketApi(state, creates, polls).routes(router);
        new UploadApi(state, fetcher, responder, this::publicUrl).routes(router);
        new ResultsApi(state, responder).routes(router);
        new ControlApi(this).routes(router);
        router.route("/api/*").handler(ctx -> responder.error(ctx, 404, KieMessages.NOT_FOUND));
        router.route().failureHandler(ctx -> {
            LOG.warnf(ctx.failure(), "KIE emulator failed on %s", ctx.request().path());
            if (!ctx.response().ended()) {
                int status = ctx.statusCode() == 413 ? 413 : 500;
                ctx.response()
                        .setStatusCode(status == 413 ? 413 : responder.httpStatusFor(500))
                        .putHeader("Content-Type", "application/json")
                        .end(Responder.envelope(
                                        status,
                                        status == 413 ? "File size exceeds the limit" : KieMessages.INTERNAL_ERROR,
                                        null)
                                .encode());
            }
        });
        vertx.setPeriodic(Math.max(10, settings.tickInterval().toMillis()), id -> engine.tick());
    }

    @Override
    public synchronized void close() {
        super.close();
        if (uploadsDir != null) {
            try (Stream<Path> paths = Files.walk(uploadsDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory; the OS cleans it up eventually
            }
            uploadsDir = null;
        }
    }

    /** The base URL put into download and result URLs: the configured public URL, else {@link #baseUrl()}. */
    public String publicUrl() {
        return settings.publicBaseUrl() != null ? settings.publicBaseUrl().replaceAll("/+$", "") : baseUrl();
    }

    /**
     * {@code host:port} of {@link #publicUrl()}: where the emulator's rendered videos are downloaded from, for a
     * client's list of hosts it may download results from over plain HTTP and on a local address.
     */
    public String resultHost() {
        URI uri = URI.create(publicUrl());
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    public KieSettings settings() {
        return settings;
    }

    /** The first valid API key (add more with {@link #addApiKey} or {@link KieSettings#apiKeys}). */
    public String apiKey() {
        return settings.apiKeys().get(0);
    }

    // ---- scripting -------------------------------------------------------------------------------------------------

    /** The next {@code count} creates (generate / createTask) get {@code outcome}, ahead of any prompt marker. */
    public KieEmulator scriptNextCreates(int count, KieOutcome outcome) {
        state.scriptCreates(count, outcome);
        return this;
    }

    public KieEmulator scriptNextCreate(KieOutcome outcome) {
        return scriptNextCreates(1, outcome);
    }

    /** The next {@code count} polls (record-info / recordInfo / get-1080p-video) get {@code outcome}. */
    public KieEmulator scriptNextPolls(int count, KieOutcome outcome) {
        state.scriptPolls(count, outcome);
        return this;
    }

    public KieEmulator scriptNextPoll(KieOutcome outcome) {
        return scriptNextPolls(1, outcome);
    }

    public KieEmulator setCredits(long credits) {
        state.credits(credits);
        return this;
    }

    public long credits() {
        return state.credits();
    }

    /** Every {@code /api/v1} call answers 455 while on. */
    public KieEmulator setMaintenance(boolean on) {
        state.maintenance(on);
        return this;
    }

    public KieEmulator addApiKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank");
        }
        state.keys.add(key);
        return this;
    }

    public KieEmulator removeApiKey(String key) {
        state.keys.remove(key);
        return this;
    }

    /** The key may make at most {@code maxCreates} creates in total; the next one gets 433. */
    public KieEmulator capKeyUsage(String key, int maxCreates) {
        state.keys.cap(key, maxCreates);
        return this;
    }

    /** Signs callbacks from now on (null turns signing off). */
    public KieEmulator setWebhookHmacKey(String key) {
        state.webhookHmacKey(key);
        return this;
    }

    public KieEmulator setRateLimit(int creates, Duration window) {
        state.limiter.configure(creates, window);
        return this;
    }

    /** Moves the emulator clock; only when it was built with an {@link ManualClock}. */
    public KieEmulator advanceClock(Duration by) {
        Clock clock = settings.clock();
        if (!(clock instanceof ManualClock adjustable)) {
            throw new IllegalStateException(
                    "the emulator clock is not adjustable; build it with KieSettings.clock(new ManualClock())");
        }
        adjustable.advance(by);
        engine.tick();
        return this;
    }

    /** Runs the render tick now (normally every {@link KieSettings#tickInterval()}). */
    public void tick() {
        engine.tick();
    }

    /** Back to the configured start: keys, credits, rate window, no scripts, no tasks, no records, maintenance off. */
    public void reset() {
        state.reset();
        state.limiter.configure(settings.createsPerWindow(), settings.rateWindow());
        state.files.retention(settings.uploadRetention());
    }

    // ---- what was seen ---------------------------------------------------------------------------------------------

    public List<KieRecords.ReceivedCreate> creates() {
        return List.copyOf(state.creates);
    }

    /**
     * The faults the random fault mix ({@link KieSettings#faultRate(double)}) injected so far, by kind:
     * {@code content_rejection}, {@code http_500}, {@code http_429}, {@code render_timeout}, {@code past_deadline}.
     */
    public Map<String, Long> injectedFaults() {
        return state.faults.counts();
    }

    public List<KieRecords.ReceivedPoll> polls() {
        return List.copyOf(state.polls);
    }

    public List<KieRecords.ReceivedPoll> polls(String taskId) {
        return state.polls.stream().filter(p -> taskId.equals(p.taskId())).toList();
    }

    public List<KieRecords.ReceivedUpload> uploads() {
        return List.copyOf(state.uploads);
    }

    /** The bytes of an uploaded file by its {@code filePath}, or null. */
    public byte[] uploadedBytes(String filePath) {
        UploadedFiles.StoredFile f = state.files.get(filePath);
        return f == null ? null : f.bytes().clone();
    }

    /** Telegram file URLs (bot token inside) that clients sent to KIE. Should stay empty. */
    public List<KieRecords.LeakedSecret> leakedSecrets() {
        return List.copyOf(state.leaks);
    }

    public List<KieRecords.SentCallback> callbacks() {
        return List.copyOf(state.callbacks);
    }

    public List<KieTask> tasks() {
        return state.tasks.values().stream()
                .sorted(Comparator.comparing(KieTask::createdAt))
                .toList();
    }

    public KieTask task(String taskId) {
        return state.tasks.get(taskId);
    }

    /**
     * base64(HMAC-SHA256(taskId + "." + timestamp, key)), as KIE signs callbacks
     * (docs/outside-services.md#kie-callbacks).
     */
    public static String webhookSignature(String taskId, String timestamp, String key) {
        return CallbackSender.sign(taskId, timestamp, key);
    }

    JsonObject stateJson() {
        JsonObject j = new JsonObject()
                .put("credits", state.credits())
                .put("maintenance", state.maintenance())
                .put(
                        "pendingCreateScripts",
                        new JsonArray(state.pendingCreateScripts().stream()
                                .map(KieOutcome::toJson)
                                .toList()))
                .put(
                        "pendingPollScripts",
                        new JsonArray(state.pendingPollScripts().stream()
                                .map(KieOutcome::toJson)
                                .toList()));
        j.put("tasks", new JsonArray(tasks().stream().map(KieTask::toJson).toList()));
        j.put(
                "creates",
                new JsonArray(creates().stream()
                        .map(KieRecords.ReceivedCreate::toJson)
                        .toList()));
        j.put(
                "polls",
                new JsonArray(
                        polls().stream().map(KieRecords.ReceivedPoll::toJson).toList()));
        j.put(
                "uploads",
                new JsonArray(uploads().stream()
                        .map(KieRecords.ReceivedUpload::toJson)
                        .toList()));
        j.put(
                "leakedSecrets",
                new JsonArray(leakedSecrets().stream()
                        .map(KieRecords.LeakedSecret::toJson)
                        .toList()));
        j.put(
                "callbacks",
                new JsonArray(callbacks().stream()
                        .map(KieRecords.SentCallback::toJson)
                        .toList()));
        return j;
    }
}
