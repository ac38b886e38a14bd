package com.neurocards.harness;

import com.neurocards.contracts.BrokerUser;
import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieSettings;
import com.neurocards.emulators.llm.LlmEmulator;
import com.neurocards.emulators.llm.LlmSettings;
import com.neurocards.emulators.telegram.Limits;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.testing.BrokerEndpoint;
import com.neurocards.testing.ServiceProcess;
import com.neurocards.testing.TestInfrastructure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole product on this machine: its own RabbitMQ vhost and PostgreSQL database, the Telegram, KIE and LLM
 * emulators in this JVM, and billing, the generation pipeline and the bot gateway as separate processes, started
 * from their packaged jars with the configuration of README.md#configuration pointing at all of that.
 */
public final class NeuroCardsSystem implements AutoCloseable {

    public final TestInfrastructure infra;
    public final TelegramEmulator telegram;
    public final KieEmulator kie;
    public final LlmEmulator llm;
    /** The first instance of each service (the only one unless more were asked for, see {@link Scale}). */
    public final ServiceProcess billing;

    public final ServiceProcess pipeline;
    public final ServiceProcess gateway;
    /** Every instance of each service, the first one included. */
    public final List<ServiceProcess> billings = new ArrayList<>();

    public final List<ServiceProcess> pipelines = new ArrayList<>();
    public final List<ServiceProcess> gateways = new ArrayList<>();
    /** The configuration the services were started with. */
    public final Map<String, String> environment;

    private final List<Path> logs = new ArrayList<>();
    private final List<String> brokerPasswords = new ArrayList<>();

    /**
     * The value of {@code KIE_CALLBACK_URL} that gives each pipeline instance its own address as the callback URL:
     * KIE then reports a finished render at once instead of waiting for the next poll.
     */
    public static final String SELF = "self";

    /** The settings whose values must never appear in a log line. */
    private static final List<String> SECRET_SETTINGS = List.of(
            "TELEGRAM_BOT_TOKEN",
            "KIE_API_KEYS",
            "LLM_API_KEY",
            "KIE_CALLBACK_SECRET",
            "KIE_WEBHOOK_HMAC_KEY",
            "BILLING_INTERNAL_TOKEN",
            "TELEGRAM_WEBHOOK_SECRET",
            "RABBITMQ_PASSWORD");

    private NeuroCardsSystem(String name, Map<String, String> overrides, Scale instances, BrokerEndpoint broker) {
        infra = TestInfrastructure.create(broker);
        // a real-shaped, per-run bot token: production mode refuses the demo one (docs/security.md)
        telegram = new TelegramEmulator(
                ServiceProcess.randomBotToken(), TelegramEmulator.DEFAULT_USERNAME, telegramLimits(overrides));
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
        env.put("VIDEO_DOWNLOAD_ALLOWED_HOSTS", kie.resultHost()); // the emulator's results: plain HTTP, 127.0.0.1
        env.put("KIE_API_KEYS", overrides.getOrDefault("KIE_EMULATOR_KEYS", KieSettings.DEFAULT_API_KEY));
        env.put("LLM_API_URL", llm.baseUrl());
        env.put("LLM_API_KEY", LlmSettings.DEFAULT_API_KEY);
        env.put("LLM_MODEL", LlmSettings.DEFAULT_MODEL);
        // The emulated KIE finishes a render in a couple of looks; look every 5 s instead of the production 15 s first.
        env.put("NEUROCARDS_PIPELINE_POLL_SCHEDULE", "5s");
        env.put("KIE_CALLBACK_SECRET", ServiceProcess.randomSecret());
        // The tests read a reply once its update is confirmed: the gateway waits for a batch's replies (through the
        // emulator's per-chat 429 waits) before confirming it, rather than the production 1 s.
        env.put("TELEGRAM_REPLY_WAIT", "30s");
        env.putAll(overrides);
        this.environment = Map.copyOf(env);

        for (int i = 1; i <= instances.billings(); i++) {
            billings.add(process("billing", name + "-billing" + suffix(i), BrokerUser.BILLING, env));
        }
        for (int i = 1; i <= instances.pipelines(); i++) {
            ServiceProcess pipeline =
                    process("generation-pipeline", name + "-pipeline" + suffix(i), BrokerUser.PIPELINE, env);
            if (SELF.equals(env.get("KIE_CALLBACK_URL"))) {
                // KIE posts each render's end to the instance that submitted it, as the public URL would reach one
                pipeline.withSetting("KIE_CALLBACK_URL", pipeline.baseUrl());
            }
            pipelines.add(pipeline);
        }
        for (int i = 1; i <= instances.gateways(); i++) {
            // each gateway asks a billing of its own where there are several, as a load balancer would spread them
            env.put("BILLING_URL", billings.get((i - 1) % billings.size()).baseUrl());
            gateways.add(process("bot-gateway", name + "-gateway" + suffix(i), BrokerUser.GATEWAY, env));
        }
        billing = billings.get(0);
        pipeline = pipelines.get(0);
        gateway = gateways.get(0);
    }

    /**
     * Telegram's real limits, except the bot-wide message rate when {@code TELEGRAM_GLOBAL_PER_SECOND} is given: the
     * same setting tells the services how fast to send, so both sides play a bot with that allowance (Telegram's
     * paid broadcasts lift the free 30 messages a second up to 1,000).
     */
    private static Limits telegramLimits(Map<String, String> overrides) {
        String global = overrides.get("TELEGRAM_GLOBAL_PER_SECOND");
        if (global == null) {
            return Limits.defaults();
        }
        int perSecond = Integer.parseInt(global);
        return Limits.defaults().toBuilder()
                .global(new Limits.Rate(perSecond, Duration.ofNanos(1_000_000_000L / perSecond)))
                .build();
    }

    /** The first instance's log keeps the name it always had; further ones are numbered from 2. */
    private static String suffix(int instance) {
        return instance == 1 ? "" : String.valueOf(instance);
    }

    private ServiceProcess process(String module, String logName, BrokerUser role, Map<String, String> env) {
        Path log = ServiceProcess.logFile(logName);
        logs.add(log);
        return new ServiceProcess(jar(module), serviceEnv(role, env), log);
    }

    /**
     * Starts everything; {@code overrides} replace any configuration variable (e.g. WELCOME_CREDITS), and
     * {@code KIE_EMULATOR_*} ones configure the emulated KIE (KIE_EMULATOR_KEYS become the pipeline's KIE_API_KEYS).
     * The services log to {@code target/service-logs/<name>-<service>.log}.
     */
    public static NeuroCardsSystem start(String name, Map<String, String> overrides) {
        return start(name, overrides, Scale.ONE_OF_EACH);
    }

    /** As {@link #start(String, Map)}, with {@code instances} processes of each service side by side. */
    public static NeuroCardsSystem start(String name, Map<String, String> overrides, Scale instances) {
        return start(name, overrides, instances, BrokerEndpoint.local());
    }

    /**
     * As {@link #start(String, Map, Scale)}, on {@code broker} (e.g. the nodes of a local cluster: the services get
     * them all as {@code RABBITMQ_ADDRESSES}) instead of the local services' broker.
     */
    public static NeuroCardsSystem start(
            String name, Map<String, String> overrides, Scale instances, BrokerEndpoint broker) {
        NeuroCardsSystem system = new NeuroCardsSystem(name, overrides, instances, broker);
        try {
            system.billings.forEach(ServiceProcess::start);
            system.pipelines.forEach(ServiceProcess::start);
            system.gateways.forEach(ServiceProcess::start);
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    /**
     * Every log line of the three services that holds a secret of this run (the bot token, which is also inside every
     * Telegram file URL; each KIE key; the LLM key; the KIE callback secret and HMAC key; billing's token; the webhook
     * secret; the broker password), as {@code file:line: SETTING}, never the secret itself. Empty when none leaked.
     */
    public List<String> secretsInLogs() throws IOException {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String setting : SECRET_SETTINGS) {
            String value = environment.get(setting);
            if (value == null || value.isBlank()) {
                continue;
            }
            for (String part : setting.equals("KIE_API_KEYS") ? value.split(",") : new String[] {value}) {
                if (part.strip().length() >= 8) {
                    secrets.put(part.strip(), setting);
                }
            }
        }
        brokerPasswords.forEach(password -> secrets.put(password, "RABBITMQ_PASSWORD"));
        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            if (!Files.exists(log)) {
                continue;
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                for (Map.Entry<String, String> secret : secrets.entrySet()) {
                    if (lines.get(i).contains(secret.getKey())) {
                        leaks.add(log.getFileName() + ":" + (i + 1) + ": " + secret.getValue());
                    }
                }
            }
        }
        return leaks;
    }

    /** The service's environment: the system's, with the service's own broker user (remembered for the log scan). */
    private Map<String, String> serviceEnv(BrokerUser role, Map<String, String> env) {
        Map<String, String> own = ServiceProcess.withBrokerUser(env, infra, role);
        brokerPasswords.add(own.get("RABBITMQ_PASSWORD"));
        return own;
    }

    private static Path jar(String module) {
        return home().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /**
     * The checkout the services were built in: {@code -Dneurocards.home} when given, else the nearest directory at or
     * above the working directory that holds the generation pipeline's module (the e2e module's parent, or the root
     * the benchmark and chaos scripts run from).
     */
    public static Path home() {
        String given = System.getProperty("neurocards.home");
        if (given != null && !given.isBlank()) {
            return Path.of(given).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("generation-pipeline"))
                    && Files.isDirectory(dir.resolve("bot-gateway"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the NeuroCards checkout above "
                + Path.of("").toAbsolutePath() + "; run from inside it or pass -Dneurocards.home=<checkout>");
    }

    /** How many processes of each service run side by side on the one broker vhost and database. */
    public record Scale(int gateways, int pipelines, int billings) {
        public static final Scale ONE_OF_EACH = new Scale(1, 1, 1);

        public Scale {
            if (gateways < 1 || pipelines < 1 || billings < 1) {
                throw new IllegalArgumentException("at least one instance of each service: " + this);
            }
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> everything = new ArrayList<>();
        everything.addAll(gateways);
        everything.addAll(pipelines);
        everything.addAll(billings);
        everything.addAll(List.of(telegram, kie, llm, infra));
        for (AutoCloseable closeable : everything) {
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
