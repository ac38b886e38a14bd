package com.neurocards.emulators.kie;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A task as KIE shows it: record-info / recordInfo {@code data} and the callback bodies
 * (docs/outside-services.md#kie-record-info, #kie-callbacks, #kie-market-tasks).
 */
final class TaskViews {

    /** Veo shows times as strings like {@code "2025-06-06 10:30:00"}, not epochs. */
    private static final DateTimeFormatter VEO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private TaskViews() {}

    static JsonObject veoRecordInfo(KieTask t, KieSettings s) {
        JsonObject response = null;
        if (t.status() == KieTask.Status.SUCCESS) {
            response = new JsonObject()
                    .put("taskId", t.id())
                    .put("resultUrls", urls(t.resultUrls(), s))
                    .put("originUrls", t.originUrls().isEmpty() ? null : urls(t.originUrls(), s))
                    .put("resolution", "720p");
        }
        return new JsonObject()
                .put("taskId", t.id())
                .put("paramJson", t.request().encode())
                .put("completeTime", t.completedAt() == null ? null : VEO_TIME.format(t.completedAt()))
                .put("response", response)
                .put("successFlag", t.successFlag())
                .put("errorCode", t.errorCode())
                .put("errorMessage", t.errorMessage())
                .put("createTime", VEO_TIME.format(t.createdAt()))
                .put("fallbackFlag", false);
    }

    static JsonObject veoCallback(KieTask t, KieSettings s) {
        JsonObject data =
                new JsonObject().put("taskId", t.id()).put("task_id", t.id()).put("fallbackFlag", false);
        if (t.status() == KieTask.Status.SUCCESS) {
            data.put(
                    "info",
                    new JsonObject()
                            .put("resultUrls", urls(t.resultUrls(), s))
                            .put("originUrls", t.originUrls().isEmpty() ? null : urls(t.originUrls(), s))
                            .put("resolution", "720p"));
            return new JsonObject()
                    .put("code", 200)
                    .put("msg", KieMessages.VEO_CALLBACK_SUCCESS)
                    .put("data", data);
        }
        data.put("info", null);
        return new JsonObject()
                .put("code", t.errorCode())
                .put("msg", t.errorMessage())
                .put("data", data);
    }

    static JsonObject marketRecordInfo(KieTask t) {
        int renderPolls = t.pollsBeforeDone();
        Instant update = t.completedAt() != null ? t.completedAt() : t.createdAt();
        JsonObject data = new JsonObject()
                .put("taskId", t.id())
                .put("model", t.model())
                .put("state", marketState(t, renderPolls))
                .put("param", t.request().encode())
                .put("resultJson", null)
                .put("failCode", null)
                .put("failMsg", null)
                .put(
                        "costTime",
                        t.completedAt() == null
                                ? null
                                : t.completedAt().toEpochMilli() - t.createdAt().toEpochMilli())
                .put(
                        "completeTime",
                        t.completedAt() == null ? null : t.completedAt().toEpochMilli())
                .put("createTime", t.createdAt().toEpochMilli())
                .put("updateTime", update.toEpochMilli())
                .put("progress", progress(t, renderPolls));
        if (t.status() == KieTask.Status.SUCCESS) {
            data.put(
                            "resultJson",
                            new JsonObject()
                                    .put("resultUrls", new JsonArray(t.resultUrls()))
                                    .encode())
                    .put("creditsConsumed", t.cost());
        } else if (t.status() == KieTask.Status.FAILED) {
            data.put("failCode", String.valueOf(t.errorCode())).put("failMsg", t.errorMessage());
        }
        return data;
    }

    static JsonObject marketCallback(KieTask t, KieSettings s) {
        boolean ok = t.status() == KieTask.Status.SUCCESS;
        JsonObject data = marketRecordInfo(t).put("task_id", t.id());
        return new JsonObject()
                .put("code", ok ? 200 : 501)
                .put(s.marketUsesMessageKey() ? "message" : "msg", ok ? KieMessages.SUCCESS : t.errorMessage())
                .put("data", data);
    }

    /**
     * {@code waiting → queuing → generating}: renders that need three polls or more show the queue states first;
     * shorter ones are simply {@code generating}.
     */
    private static String marketState(KieTask t, int renderPolls) {
        return switch (t.status()) {
            case SUCCESS -> "success";
            case FAILED -> "fail";
            case GENERATING -> renderPolls >= 3 && t.polls() <= 1
                    ? "waiting"
                    : renderPolls >= 3 && t.polls() == 2 ? "queuing" : "generating";
        };
    }

    private static int progress(KieTask t, int renderPolls) {
        if (t.terminal()) {
            return 100;
        }
        return Math.min(99, 100 * t.polls() / (Math.max(renderPolls, 0) + 1));
    }

    private static Object urls(List<String> urls, KieSettings s) {
        JsonArray array = new JsonArray(urls);
        return s.resultUrlsAsJsonString() ? array.encode() : array;
    }
}
