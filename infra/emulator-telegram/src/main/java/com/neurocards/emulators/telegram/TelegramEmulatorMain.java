package com.neurocards.emulators.telegram;

/**
 * Runs the emulator on its own for local demos: port, token and username from TELEGRAM_EMULATOR_PORT (8081),
 * TELEGRAM_BOT_TOKEN and TELEGRAM_BOT_USERNAME. Real limits; stop with Ctrl-C.
 */
public final class TelegramEmulatorMain {

    private TelegramEmulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(env("TELEGRAM_EMULATOR_PORT", args.length > 0 ? args[0] : "8081"));
        TelegramEmulator emulator = new TelegramEmulator(
                env("TELEGRAM_BOT_TOKEN", TelegramEmulator.DEFAULT_TOKEN),
                env("TELEGRAM_BOT_USERNAME", TelegramEmulator.DEFAULT_USERNAME));
        emulator.start(env("TELEGRAM_EMULATOR_HOST", "127.0.0.1"), port);
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
        System.out.println("Telegram emulator on " + emulator.baseUrl() + " (token " + emulator.maskedToken() + ")");
        System.out.println("Chat page: " + emulator.chatPageUrl());
        Thread.currentThread().join();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
