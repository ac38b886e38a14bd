package com.neurocards.emulators.kie;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seeded random fault mix of the chaos run (KIE_EMULATOR_FAULT_RATE / _SEED): each injected fault is real and counted. */
class FaultMixTest {

    private static final int CREATES = 200;

    /** What 200 plain creates met, as a client sees it, and what the emulator says it injected. */
    record Seen(
            long http500,
            long http429,
            long content,
            long timeout,
            long stillRendering,
            long done,
            Map<String, Long> injected) {}

    @Test
    void aShareOfPlainCreatesMeetsEachKindOfFaultAndEveryOneIsCounted() {
        try (KieEmulator kie = emulator(Map.of("KIE_EMULATOR_FAULT_RATE", "0.3", "KIE_EMULATOR_FAULT_SEED", "42"))) {
            Seen seen = createAndPollAll(kie);
            Map<String, Long> injected = seen.injected();
            assertThat(injected)
                    .containsOnlyKeys("content_rejection", "http_500", "http_429", "render_timeout", "past_deadline");
            assertThat(injected.values()).allSatisfy(n -> assertThat(n).isPositive());
            long total = injected.values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).as("about 30 %% of %d creates", CREATES).isBetween(30L, 90L);
            // what the client met is exactly what was counted
            assertThat(seen.http500()).isEqualTo(injected.get("http_500"));
            assertThat(seen.http429()).isEqualTo(injected.get("http_429"));
            assertThat(seen.content()).isEqualTo(injected.get("content_rejection"));
            assertThat(seen.timeout()).isEqualTo(injected.get("render_timeout"));
            assertThat(seen.stillRendering()).isEqualTo(injected.get("past_deadline"));
            assertThat(seen.done()).isEqualTo(CREATES - total);

            // the same seed draws the same faults again
            kie.reset();
            assertThat(createAndPollAll(kie).injected()).isEqualTo(injected);
        }
    }

    @Test
    void noRateNoFaultsAndMarkersOrScriptsAreNeverOverridden() {
        try (KieEmulator none = emulator(Map.of())) {
            Seen seen = createAndPollAll(none);
            assertThat(seen.done()).isEqualTo(CREATES);
            assertThat(none.injectedFaults().values())
                    .allSatisfy(n -> assertThat(n).isZero());
        }
        try (KieEmulator all = emulator(Map.of("KIE_EMULATOR_FAULT_RATE", "1"))) {
            KieHttp http = new KieHttp(all.baseUrl(), all.apiKey());
            // a marker shapes this create: the mix leaves it alone
            String marked = http.veoGenerate("A mug [kie:polls=0]").data().getString("taskId");
            assertThat(http.recordInfo(marked).data().getInteger("successFlag")).isEqualTo(1);
            // so does a script
            all.scriptNextCreate(KieOutcome.success().withPolls(0));
            String scripted = http.veoGenerate("A mug").data().getString("taskId");
            assertThat(http.recordInfo(scripted).data().getInteger("successFlag"))
                    .isEqualTo(1);
            assertThat(all.injectedFaults().values().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .isZero();
        }
    }

    private static KieEmulator emulator(Map<String, String> env) {
        return new KieEmulator(
                        KieSettings.fromEnv(env).createsPerWindow(100_000).renderPolls(0))
                .start(0);
    }

    private static Seen createAndPollAll(KieEmulator kie) {
        KieHttp http = new KieHttp(kie.baseUrl(), kie.apiKey());
        long http500 = 0, http429 = 0;
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            KieHttp.Reply reply = http.veoGenerate("A ceramic mug on a table, take " + i);
            if (reply.status() == 500) {
                http500++;
            } else if (reply.status() == 429) {
                http429++;
            } else {
                assertThat(reply.code()).isEqualTo(200);
                tasks.add(reply.data().getString("taskId"));
            }
        }
        long content = 0, timeout = 0, rendering = 0, done = 0;
        for (String task : tasks) {
            JsonObject data = http.recordInfo(task).data();
            int flag = data.getInteger("successFlag");
            if (flag == 0) {
                rendering++;
            } else if (flag == 1) {
                done++;
            } else if (flag == 2 && data.getInteger("errorCode") == 400) {
                content++;
            } else if (flag == 3 && data.getInteger("errorCode") == 500) {
                timeout++;
            }
        }
        return new Seen(http500, http429, content, timeout, rendering, done, kie.injectedFaults());
    }
}
