package com.neurocards.emulators.telegram;

import com.neurocards.emulators.quarkus.EmulatorTestResource;
import java.util.Map;

/**
 * Runs a {@link TelegramEmulator} for a Quarkus test class and points the application at it:
 * {@code @QuarkusTestResource(TelegramEmulatorResource.class)} + a field annotated {@link InjectTelegramEmulator}.
 * Limits are the real ones; a test that wants others resets or subclasses and overrides {@link #create()}.
 */
public class TelegramEmulatorResource extends EmulatorTestResource<TelegramEmulator> {

    public static final String API_URL = "TELEGRAM_API_URL";
    public static final String BOT_TOKEN = "TELEGRAM_BOT_TOKEN";

    public TelegramEmulatorResource() {
        super(TelegramEmulator.class, InjectTelegramEmulator.class);
    }

    @Override
    protected TelegramEmulator create() {
        return new TelegramEmulator();
    }

    @Override
    protected Map<String, String> config(TelegramEmulator emulator) {
        return Map.of(API_URL, emulator.baseUrl(), BOT_TOKEN, emulator.token());
    }
}
