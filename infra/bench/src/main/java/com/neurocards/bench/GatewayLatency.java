package com.neurocards.bench;

import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InlineButton;
import com.neurocards.emulators.telegram.RecordedCall;
import com.neurocards.emulators.telegram.SimulatedUser;
import com.neurocards.harness.NeuroCardsSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Sellers talking to the bot at a steady rate of updates: taps on the buttons the bot last showed them and texts
 * (commands and product descriptions), each seller acting every few seconds as a person would. For each update, the
 * time until the bot's first answer to it reaches Telegram (the callback's answer, or the first message sent or edited
 * in that chat). The first seconds (the warm-up) are kept apart: a gateway that has just started, or has been idle,
 * spends them compiling its update path (the JIT takes most of a core on a 2-core machine), and what a seller meets
 * there is reported beside the steady figure, not mixed into it.
 */
final class GatewayLatency {

    private static final List<String> TEXTS = List.of(
            "/start", "/help", "Wireless earbuds in a white case, 30 hours of battery", "Ceramic mug, 350 ml, matte");
    /** Bot API calls that are not an answer to a seller (the gateway's own polling and downloads). */
    private static final Set<String> NOT_ANSWERS = Set.of("getupdates", "getfile", "getme", "setmycommands");
    /** How long an answer may take before the update counts as unanswered. */
    private static final long ANSWER_WINDOW_NANOS = Duration.ofSeconds(10).toNanos();

    /**
     * {@code replyMicros}: update → first answer, in microseconds, after the warm-up; {@code warmUpReplyMicros} the
     * same during it; {@code replyMicrosByKind} after the warm-up by what the seller did, and
     * {@code replyMicrosBySecond} by the second of the phase the update was sent in, the warm-up's included.
     */
    record Result(
            double updatesPerSecond,
            int updates,
            int taps,
            Histogram replyMicros,
            int unanswered,
            Histogram warmUpReplyMicros,
            int warmUpUnanswered,
            Map<String, Histogram> replyMicrosByKind,
            Map<Integer, Histogram> replyMicrosBySecond,
            Map<String, Double> answersPerUpdate) {}

    /** {@code kind}: what the seller did ("tap", "/start", "/help", "description"), for the figures by kind. */
    private record Sent(long userId, String callbackQueryId, long nanoTime, String kind) {}

    private final NeuroCardsSystem system;
    private final Random random = new Random(16);

    GatewayLatency(NeuroCardsSystem system) {
        this.system = system;
    }

    Result run(long firstUserId, int perSecond, Duration warmUp, Duration duration) throws InterruptedException {
        int people = Math.max(1, perSecond * 3); // each acts about every three seconds
        List<SimulatedUser> users = new ArrayList<>(people);
        for (int i = 0; i < people; i++) {
            users.add(system.telegram.user(firstUserId + i));
        }
        int warmUpUpdates = (int) (perSecond * warmUp.toSeconds());
        int updates = warmUpUpdates + (int) (perSecond * duration.toSeconds());
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>(updates));
        int callsBefore = system.telegram.calls().size();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger taps = new AtomicInteger();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        clock.scheduleAtFixedRate(
                () -> {
                    int i = next.getAndIncrement();
                    if (i >= updates) {
                        return;
                    }
                    SimulatedUser user = users.get(i % people);
                    Optional<InlineButton> button = i < people ? Optional.empty() : lastButton(user);
                    if (button.isPresent() && random.nextInt(10) < 6) {
                        long at = System.nanoTime();
                        String queryId = user.press(button.get().callbackData());
                        sent.add(new Sent(user.id(), queryId, at, "tap"));
                        if (i >= warmUpUpdates) {
                            taps.incrementAndGet();
                        }
                    } else {
                        String text = i < people ? "/start" : TEXTS.get(random.nextInt(TEXTS.size()));
                        long at = System.nanoTime();
                        user.sendText(text);
                        sent.add(new Sent(user.id(), null, at, text.startsWith("/") ? text : "description"));
                    }
                },
                0,
                Math.max(1, 1_000_000 / perSecond),
                TimeUnit.MICROSECONDS);
        while (next.get() < updates) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        clock.shutdown();
        clock.awaitTermination(10, TimeUnit.SECONDS);
        // every update's answer, waiting for the ones still missing up to the answer window after the last one sent
        long deadline = System.nanoTime() + ANSWER_WINDOW_NANOS;
        long[] answered = firstAnswers(sent);
        while (Arrays.stream(answered).anyMatch(at -> at == Long.MAX_VALUE) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            answered = firstAnswers(sent);
        }

        Histogram replies = replyHistogram();
        Histogram warmUpReplies = replyHistogram();
        Map<String, Histogram> byKind = new TreeMap<>();
        Map<Integer, Histogram> bySecond = new TreeMap<>();
        int unanswered = 0;
        int warmUpUnanswered = 0;
        for (int i = 0; i < sent.size(); i++) {
            Sent update = sent.get(i);
            boolean warming = i < warmUpUpdates;
            long first = answered[i];
            if (first == Long.MAX_VALUE || first - update.nanoTime() > ANSWER_WINDOW_NANOS) {
                if (warming) {
                    warmUpUnanswered++;
                } else {
                    unanswered++;
                }
            } else {
                long micros = Math.max(0, (first - update.nanoTime()) / 1_000);
                (warming ? warmUpReplies : replies).recordValue(micros);
                if (!warming) {
                    byKind.computeIfAbsent(update.kind(), k -> replyHistogram()).recordValue(micros);
                }
                bySecond.computeIfAbsent((int) ((update.nanoTime() - start) / 1_000_000_000L), k -> replyHistogram())
                        .recordValue(micros);
            }
        }
        return new Result(
                sent.size() / seconds,
                sent.size() - Math.min(warmUpUpdates, sent.size()),
                taps.get(),
                replies,
                unanswered,
                warmUpReplies,
                warmUpUnanswered,
                byKind,
                bySecond,
                answersPerUpdate(callsBefore, sent.size()));
    }

    /** Update → first answer, in microseconds, up to the answer window. */
    private static Histogram replyHistogram() {
        return new Histogram(ANSWER_WINDOW_NANOS / 1_000, 3);
    }

    /** The Bot API calls made during the phase, by method, per update sent (the gateway's polling left out). */
    private Map<String, Double> answersPerUpdate(int callsBefore, int updates) {
        List<RecordedCall> calls = system.telegram.calls();
        Map<String, Double> perUpdate = new TreeMap<>();
        for (RecordedCall call : calls.subList(callsBefore, calls.size())) {
            String method = call.method().toLowerCase(Locale.ROOT);
            if (!NOT_ANSWERS.contains(method)) {
                perUpdate.merge(call.method(), 1.0, Double::sum);
            }
        }
        perUpdate.replaceAll((method, count) -> Math.round(count * 100.0 / Math.max(1, updates)) / 100.0);
        return perUpdate;
    }

    /** For each update sent, when the bot's first answer to it reached Telegram (MAX_VALUE: none yet). */
    private long[] firstAnswers(List<Sent> sent) {
        Map<String, List<Long>> answersByChat = new HashMap<>();
        Map<String, Long> callbackAnswers = new HashMap<>();
        for (RecordedCall call : system.telegram.calls()) {
            String method = call.method().toLowerCase(Locale.ROOT);
            if (method.equals("answercallbackquery")) {
                callbackAnswers.putIfAbsent(call.param("callback_query_id"), call.nanoTime());
            } else if (!NOT_ANSWERS.contains(method) && call.param("chat_id") != null) {
                answersByChat
                        .computeIfAbsent(call.param("chat_id"), k -> new ArrayList<>())
                        .add(call.nanoTime());
            }
        }
        long[] first = new long[sent.size()];
        for (int i = 0; i < first.length; i++) {
            Sent update = sent.get(i);
            first[i] = Long.MAX_VALUE;
            if (update.callbackQueryId() != null) {
                first[i] = callbackAnswers.getOrDefault(update.callbackQueryId(), Long.MAX_VALUE);
            }
            for (long at : answersByChat.getOrDefault(String.valueOf(update.userId()), List.of())) {
                if (at >= update.nanoTime()) {
                    first[i] = Math.min(first[i], at);
                    break;
                }
            }
        }
        return first;
    }

    /** A callback button under the bot's latest message that has any (none when the bot showed no buttons). */
    private Optional<InlineButton> lastButton(SimulatedUser user) {
        Optional<ChatMessage> last = user.lastBotMessage();
        if (last.isEmpty()) {
            return Optional.empty();
        }
        List<InlineButton> buttons = last.get().buttons().stream()
                .filter(b -> b.callbackData() != null)
                .toList();
        return buttons.isEmpty() ? Optional.empty() : Optional.of(buttons.get(random.nextInt(buttons.size())));
    }
}
