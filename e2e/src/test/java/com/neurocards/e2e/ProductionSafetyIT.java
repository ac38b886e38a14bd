package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.contracts.BrokerUser;
import com.neurocards.testing.ServiceProcess;
import com.neurocards.testing.TestInfrastructure;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Production fails closed (docs/security.md): each packaged service, started as an operator would with an unsafe
 * setting, stops at once with one line naming the variable and what to set; with safe settings it starts, and
 * billing listens on loopback only.
 */
class ProductionSafetyIT {

    private static final Duration REFUSAL = Duration.ofSeconds(60);

    static TestInfrastructure infra;

    @BeforeAll
    static void infrastructure() {
        infra = TestInfrastructure.create();
    }

    @AfterAll
    static void closeInfrastructure() {
        infra.close();
    }

    /** Everything {@code service} needs to start safely; each test then makes one thing unsafe. */
    private static Map<String, String> safe(String service) {
        BrokerUser user =
                switch (service) {
                    case "billing" -> BrokerUser.BILLING;
                    case "bot-gateway" -> BrokerUser.GATEWAY;
                    default -> BrokerUser.PIPELINE;
                };
        Map<String, String> env = new HashMap<>(ServiceProcess.environmentFor(infra, user));
        env.put("TELEGRAM_BOT_TOKEN", ServiceProcess.randomBotToken());
        env.put("TELEGRAM_API_URL", "http://127.0.0.1:9"); // never reached before the refusal
        env.put("KIE_API_KEYS", ServiceProcess.randomSecret());
        env.put("LLM_API_KEY", ServiceProcess.randomSecret());
        return env;
    }

    @Test
    void billingWithoutItsInternalTokenRefusesToStart() throws IOException {
        Map<String, String> env = safe("billing");
        env.remove("BILLING_INTERNAL_TOKEN");
        assertRefused("billing", env, "Refusing to start: BILLING_INTERNAL_TOKEN is empty");

        env.put("BILLING_INTERNAL_TOKEN", "changeme");
        assertRefused("billing", env, "Refusing to start: BILLING_INTERNAL_TOKEN is too weak");
    }

    @Test
    void theGatewayRefusesTheDemoTokenAndAWebhookWithoutASecret() throws IOException {
        Map<String, String> env = safe("bot-gateway");
        env.put("TELEGRAM_BOT_TOKEN", "123456:LOCAL-DEMO-TOKEN");
        assertRefused("bot-gateway", env, "Refusing to start: TELEGRAM_BOT_TOKEN is the local demo token");

        env = safe("bot-gateway");
        env.put("TELEGRAM_MODE", "webhook");
        env.put("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/telegram/webhook");
        assertRefused("bot-gateway", env, "Refusing to start: TELEGRAM_WEBHOOK_SECRET is empty in webhook mode");
    }

    @Test
    void thePipelineRefusesAPublicCallbackUrlWithoutTheHmacKey() throws IOException {
        Map<String, String> env = safe("generation-pipeline");
        env.put("KIE_CALLBACK_URL", "https://bot.example.com/kie/callback");
        env.remove("KIE_WEBHOOK_HMAC_KEY");
        assertRefused(
                "generation-pipeline",
                env,
                "Refusing to start: KIE_WEBHOOK_HMAC_KEY is empty while KIE_CALLBACK_URL is a public address");
    }

    @Test
    void theGatewayAndThePipelineRefuseToStartWithoutAValidSupportContact() throws IOException {
        for (String service : new String[] {"bot-gateway", "generation-pipeline"}) {
            Map<String, String> env = safe(service);
            env.remove("SUPPORT_CONTACT");
            assertRefused(service, env, "Refusing to start: SUPPORT_CONTACT is empty, so a seller whose payment");

            env.put("SUPPORT_CONTACT", "support@example.com");
            assertRefused(
                    service,
                    env,
                    "Refusing to start: SUPPORT_CONTACT is neither a Telegram @username nor an https link");
        }
    }

    @Test
    void noServiceRunsAsTheBrokersGuestUser() throws IOException {
        for (String service : new String[] {"billing", "generation-pipeline", "bot-gateway"}) {
            Map<String, String> env = safe(service);
            env.put("RABBITMQ_USER", "guest");
            env.put("RABBITMQ_PASSWORD", "guest");
            assertRefused(service, env, "Refusing to start: RABBITMQ_USER is guest");
        }
    }

    @Test
    void billingWithSafeSettingsStartsAndListensOnLoopbackOnly() throws IOException {
        try (ServiceProcess billing =
                new ServiceProcess(jar("billing"), safe("billing"), fresh("safety-billing-safe")).start()) {
            int port = URI.create(billing.baseUrl()).getPort();
            Optional<InetAddress> outside = nonLoopbackAddress();
            if (outside.isPresent()) {
                assertThat(connects(outside.get(), port))
                        .as("billing reachable on " + outside.get().getHostAddress())
                        .isFalse();
            }
            assertThat(connects(InetAddress.getLoopbackAddress(), port)).isTrue();
            assertThat(billing.log()).doesNotContain("Refusing to start");
        }
    }

    private static void assertRefused(String service, Map<String, String> env, String line) throws IOException {
        Path log = fresh("safety-" + service);
        ServiceProcess process = new ServiceProcess(jar(service), env, log);
        int code = process.startExpectingExit(REFUSAL);
        String output = process.log();
        assertThat(code).as(service + " exit code; log:\n" + output).isNotZero();
        assertThat(output).as(service + " log").contains(line);
        for (String secret :
                new String[] {"BILLING_INTERNAL_TOKEN", "TELEGRAM_BOT_TOKEN", "KIE_API_KEYS", "LLM_API_KEY"}) {
            String value = env.get(secret);
            if (value != null && value.length() >= 16) {
                assertThat(output).as("no " + secret + " value in the log").doesNotContain(value);
            }
        }
    }

    private static Path fresh(String name) throws IOException {
        Path log = ServiceProcess.logFile(name);
        Files.deleteIfExists(log);
        return log;
    }

    private static Path jar(String module) {
        return Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar");
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
