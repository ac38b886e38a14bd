package com.neurocards.emulators.kie;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the emulator remembers: the account (credits, keys, maintenance), the tasks, the scripted outcomes
 * waiting for the next creates and polls, and the records tests assert on. Compound updates lock on this object.
 */
final class KieState {

    /** A Telegram file URL: it carries the bot token in its path ({@code /file/bot<token>/…}). */
    private static final Pattern TELEGRAM_FILE_URL = Pattern.compile("https?://[^\\s\"'<>]*?/file/bot[^\\s\"'<>]*");

    final KieSettings settings;
    final Clock clock;
    final ApiKeys keys = new ApiKeys();
    final SlidingWindowLimiter limiter;
    final UploadedFiles files;
    final Map<String, KieTask> tasks = new ConcurrentHashMap<>();
    final FaultMix faults;

    final List<KieRecords.ReceivedCreate> creates = new CopyOnWriteArrayList<>();
    final List<KieRecords.ReceivedPoll> polls = new CopyOnWriteArrayList<>();
    final List<KieRecords.ReceivedUpload> uploads = new CopyOnWriteArrayList<>();
    final List<KieRecords.LeakedSecret> leaks = new CopyOnWriteArrayList<>();
    final List<KieRecords.SentCallback> callbacks = new CopyOnWriteArrayList<>();

    /** Creates seen per marked prompt, for {@code first=N} markers. */
    private final Map<String, Integer> markedCreates = new ConcurrentHashMap<>();

    private final Deque<KieOutcome> createScript = new ArrayDeque<>();
    private final Deque<KieOutcome> pollScript = new ArrayDeque<>();
    private long credits;
    private volatile boolean maintenance;
    private volatile String webhookHmacKey;

    KieState(KieSettings settings) {
        this.settings = settings;
        this.clock = settings.clock();
        this.limiter = new SlidingWindowLimiter(clock, settings.createsPerWindow(), settings.rateWindow());
        this.files = new UploadedFiles(clock, settings.uploadRetention());
        this.faults = new FaultMix(settings.faultRate(), settings.faultSeed(), settings.faultRenderTime());
        reset();
    }

    /** Back to the configured start: settings' keys and credits, nothing scripted, nothing recorded. */
    synchronized void reset() {
        keys.replaceAll(settings.apiKeys());
        credits = settings.credits();
        maintenance = false;
        webhookHmacKey = settings.webhookHmacKey();
        createScript.clear();
        pollScript.clear();
        markedCreates.clear();
        limiter.reset();
        tasks.clear();
        files.clear();
        creates.clear();
        polls.clear();
        uploads.clear();
        leaks.clear();
        callbacks.clear();
        if (faults != null) {
            faults.reset();
        }
    }

    /** Counts one more create with this marked prompt; returns how many there have been, this one included. */
    int countMarkedCreate(String prompt) {
        return markedCreates.merge(prompt, 1, Integer::sum);
    }

    synchronized void scriptCreates(int n, KieOutcome outcome) {
        for (int i = 0; i < n; i++) createScript.addLast(outcome);
    }

    synchronized void scriptPolls(int n, KieOutcome outcome) {
        for (int i = 0; i < n; i++) pollScript.addLast(outcome);
    }

    synchronized KieOutcome nextCreateScript() {
        return createScript.pollFirst();
    }

    synchronized KieOutcome nextPollScript() {
        return pollScript.pollFirst();
    }

    synchronized List<KieOutcome> pendingCreateScripts() {
        return new ArrayList<>(createScript);
    }

    synchronized List<KieOutcome> pendingPollScripts() {
        return new ArrayList<>(pollScript);
    }

    /** Takes {@code cost} credits if the balance covers them. */
    synchronized boolean tryDebit(long cost) {
        if (credits < cost) {
            return false;
        }
        credits -= cost;
        return true;
    }

    synchronized void refund(long amount) {
        credits += amount;
    }

    synchronized long credits() {
        return credits;
    }

    synchronized void credits(long credits) {
        this.credits = credits;
    }

    boolean maintenance() {
        return maintenance;
    }

    void maintenance(boolean on) {
        maintenance = on;
    }

    String webhookHmacKey() {
        return webhookHmacKey;
    }

    void webhookHmacKey(String key) {
        webhookHmacKey = key;
    }

    /** Records every Telegram file URL found in what a client sent to {@code where}. */
    void scanForLeaks(String where, String text) {
        if (text == null || !text.contains("/file/bot")) {
            return;
        }
        Matcher m = TELEGRAM_FILE_URL.matcher(text.replace("\\/", "/"));
        while (m.find()) {
            leaks.add(new KieRecords.LeakedSecret(where, m.group(), clock.instant()));
        }
    }
}
