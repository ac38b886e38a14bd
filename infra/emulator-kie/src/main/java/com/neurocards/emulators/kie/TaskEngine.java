package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The simulated render. A task first has its input images fetched (as KIE does — a bad URL fails the task
 * asynchronously), then stays "generating" until its planned polls and render time have passed, then succeeds with
 * a served MP4 or fails as scripted. Completion sends the callback once. Advanced by polls and by a periodic tick,
 * so callback-only clients see time-based renders finish too.
 */
final class TaskEngine {

    private final KieState state;
    private final RemoteFetcher fetcher;
    private final CallbackSender callbacks;
    private final Supplier<String> baseUrl;

    TaskEngine(KieState state, RemoteFetcher fetcher, CallbackSender callbacks, Supplier<String> baseUrl) {
        this.state = state;
        this.fetcher = fetcher;
        this.callbacks = callbacks;
        this.baseUrl = baseUrl;
    }

    /** Called right after a create: starts fetching the input images. */
    void started(KieTask task) {
        if (task.imageUrls().isEmpty()) {
            advance(task);
            return;
        }
        List<CompletableFuture<RemoteFetcher.Fetched>> fetches = new ArrayList<>();
        for (String url : task.imageUrls()) {
            fetches.add(fetcher.fetchImage(url));
        }
        CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            String failure = null;
            for (int i = 0; i < fetches.size(); i++) {
                RemoteFetcher.Fetched f = fetches.get(i).getNow(new RemoteFetcher.Fetched(null, null, "fetch failed"));
                if (!f.ok()) {
                    failure = "image " + i + ": " + f.failure();
                    break;
                }
            }
            synchronized (state) {
                task.imagesChecked(failure == null, failure);
            }
            advance(task);
        });
    }

    /** One client poll: the task moves on if its time has come, then the poll is counted. */
    void poll(KieTask task) {
        advance(task);
        synchronized (state) {
            task.countPoll();
        }
    }

    /** A scripted poll outcome forces the task to its end now. */
    void force(KieTask task, KieOutcome outcome) {
        synchronized (state) {
            if (task.terminal()) {
                return;
            }
            if (outcome.type() == KieOutcome.Type.FAIL) {
                failLocked(task, outcome.successFlag(), outcome.errorCode(), outcome.message());
            } else {
                succeedLocked(task);
            }
        }
        sendCallbackIfDue(task);
    }

    void tick() {
        for (KieTask task : state.tasks.values()) {
            if (!task.terminal()) {
                advance(task);
            }
        }
    }

    private void advance(KieTask task) {
        synchronized (state) {
            if (task.terminal() || task.imageCheck() == KieTask.ImageCheck.PENDING) {
                return;
            }
            Instant now = state.clock.instant();
            if (task.imageCheck() == KieTask.ImageCheck.FAILED) {
                // Shows at the next poll, like KIE: the create was accepted, the fetch failed later.
                failLocked(task, 2, 400, KieMessages.IMAGE_FETCH_FAILED + " (" + task.imageFailure() + ")");
            } else if (task.renderDone(now)) {
                if (task.plan().type() == KieOutcome.Type.FAIL) {
                    failLocked(
                            task,
                            task.plan().successFlag(),
                            task.plan().errorCode(),
                            task.plan().message());
                } else {
                    succeedLocked(task);
                }
            }
        }
        sendCallbackIfDue(task);
    }

    private void succeedLocked(KieTask task) {
        String base = baseUrl.get() + "/results/" + task.id();
        List<String> origin = task.family() == KieTask.Family.VEO && !"16:9".equals(task.aspectRatio())
                ? List.of(base + "/origin-0.mp4")
                : List.of();
        String scripted = task.plan().resultUrl();
        task.succeed(state.clock.instant(), List.of(scripted != null ? scripted : base + "/0.mp4"), origin);
    }

    private void failLocked(KieTask task, int successFlag, int errorCode, String message) {
        task.fail(state.clock.instant(), successFlag, errorCode, message);
        if (state.settings.refundFailedTasks()) {
            state.refund(task.cost());
        }
    }

    private void sendCallbackIfDue(KieTask task) {
        JsonObject body;
        synchronized (state) {
            if (!task.takeCallbackDue()) {
                return;
            }
            body = task.family() == KieTask.Family.VEO
                    ? TaskViews.veoCallback(task, state.settings)
                    : TaskViews.marketCallback(task, state.settings);
        }
        callbacks.send(task.callbackUrl(), task.id(), body);
    }
}
