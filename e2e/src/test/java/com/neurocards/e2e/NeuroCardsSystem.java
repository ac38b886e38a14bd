package com.neurocards.e2e;

import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieSettings;
import com.neurocards.emulators.llm.LlmEmulator;
import com.neurocards.emulators.llm.LlmSettings;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.testing.ServiceProcess;
import com.neurocards.testing.TestInfrastructure;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole product on this machine: its own RabbitMQ vhost and PostgreSQL database, the Telegram, KIE and LLM
 * emulators in this JVM, and billing, the generation pipeline and the bot gateway as separate processes, started
 * from their packaged jars with the configuration of README.md#configuration pointing at all of that.
 */
final class NeuroCardsSystem implements AutoCloseable {

    final TestInfrastructure infra;
    final TelegramEmulator telegram;
    final KieEmulator kie;
    final LlmEmulator llm;
    final ServiceProcess billing;
    final ServiceProcess pipeline;
    final ServiceProcess gateway;

    private NeuroCardsSystem(String name, Map<String, String> overrides) {
        infra = TestInfrastructure.create();
        telegram = new TelegramEmulator();
        telegram.start(0);
        kie = new KieEmulator(KieSettings.fromEnv(overrides)); // KIE_EMULATOR_* overrides shape the emulated KIE
        kie.start(0);
        llm = new LlmEmulator(LlmSettings.defaults());
        llm.start(0);

        Map<String, String> env = new HashMap<>(ServiceProcess.environmentFor(infra));
        env.put("TELEGRAM_BOT_TOKEN", telegram.token());
        env.put("TELEGRAM_API_URL", telegram.baseUrl());
        env.put("KIE_API_URL", kie.baseUrl());
        env.put("KIE_UPLOAD_URL", kie.baseUrl());
        env.put("KIE_API_KEYS", overrides.getOrDefault("KIE_EMULATOR_KEYS", KieSettings.DEFAULT_API_KEY));
        env.put("LLM_API_URL", llm.baseUrl());
        env.put("LLM_API_KEY", LlmSettings.DEFAULT_API_KEY);
        env.put("LLM_MODEL", LlmSettings.DEFAULT_MODEL);
        // The emulated KIE finishes a render in a couple of looks; look every 5 s instead of the production 15 s first.
        env.put("NEUROCARDS_PIPELINE_POLL_SCHEDULE", "5s");
        // The tests read a reply once its update is confirmed: the gateway waits for a batch's replies (through the
        // emulator's per-chat 429 waits) before confirming it, rather than the production 1 s.
        env.put("TELEGRAM_REPLY_WAIT", "30s");
        env.putAll(overrides);

        billing = new ServiceProcess(jar("billing"), env, ServiceProcess.logFile(name + "-billing"));
        env.put("BILLING_URL", billing.baseUrl());
        pipeline = new ServiceProcess(jar("generation-pipeline"), env, ServiceProcess.logFile(name + "-pipeline"));
        gateway = new ServiceProcess(jar("bot-gateway"), env, ServiceProcess.logFile(name + "-gateway"));
    }

    /**
     * Starts everything; {@code overrides} replace any configuration variable (e.g. WELCOME_CREDITS), and
     * {@code KIE_EMULATOR_*} ones configure the emulated KIE (KIE_EMULATOR_KEYS become the pipeline's KIE_API_KEYS).
     * The services log to {@code target/service-logs/<name>-<service>.log}.
     */
    static NeuroCardsSystem start(String name, Map<String, String> overrides) {
        NeuroCardsSystem system = new NeuroCardsSystem(name, overrides);
        try {
            system.billing.start();
            system.pipeline.start();
            system.gateway.start();
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private static Path jar(String module) {
        return Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar");
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : new AutoCloseable[] {gateway, pipeline, billing, telegram, kie, llm, infra}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }
}
