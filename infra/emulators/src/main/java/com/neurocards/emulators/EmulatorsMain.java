package com.neurocards.emulators;

import com.neurocards.emulators.kie.KieEmulator;
import com.neurocards.emulators.kie.KieSettings;
import com.neurocards.emulators.llm.LlmEmulator;
import com.neurocards.emulators.llm.LlmSettings;
import com.neurocards.emulators.telegram.TelegramEmulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulators the local demo needs, each on its port, until the process is stopped:
 * <pre>
 * java -jar infra/emulators/target/emulators.jar [--telegram-port 9081 [--telegram-token T]]
 *      [--kie-port 9082 [--kie-key K]] [--llm-port 9083 [--llm-key K]]
 * </pre>
 * An emulator whose port is not given is not started. Further settings come from the emulators' own environment
 * variables (see each module's README).
 */
public final class EmulatorsMain {

    private EmulatorsMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = parse(args);
        List<HttpEmulator> running = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(HttpEmulator::close), "emulators-stop"));

        if (options.containsKey("telegram-port")) {
            String token = options.getOrDefault("telegram-token", "123456:LOCAL-DEMO-TOKEN");
            running.add(new TelegramEmulator(token, "neurocards_demo_bot").start(port(options, "telegram-port")));
        }
        if (options.containsKey("kie-port")) {
            KieSettings settings = KieSettings.fromEnv(System.getenv());
            if (options.containsKey("kie-key")) {
                settings.apiKeys(options.get("kie-key").split(","));
            }
            running.add(new KieEmulator(settings).start(port(options, "kie-port")));
        }
        if (options.containsKey("llm-port")) {
            LlmSettings settings = LlmSettings.fromEnv(System.getenv()).anyModel(true);
            if (options.containsKey("llm-key")) {
                settings.apiKeys(options.get("llm-key").split(","));
            }
            running.add(new LlmEmulator(settings).start(port(options, "llm-port")));
        }
        if (running.isEmpty()) {
            System.err.println("Nothing to run: give --telegram-port, --kie-port and/or --llm-port");
            System.exit(2);
        }
        for (HttpEmulator emulator : running) {
            System.out.println(emulator.name() + " emulator: " + emulator.baseUrl());
        }
        new CountDownLatch(1).await();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static int port(Map<String, String> options, String name) {
        try {
            return Integer.parseInt(options.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a port number", e);
        }
    }
}
