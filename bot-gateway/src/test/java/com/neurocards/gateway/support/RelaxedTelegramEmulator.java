package com.neurocards.gateway.support;

import com.neurocards.emulators.telegram.Limits;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulatorResource;

/** The Telegram emulator with real size limits but no rate limits: these tests are not about throttling. */
public class RelaxedTelegramEmulator extends TelegramEmulatorResource {

    @Override
    protected TelegramEmulator create() {
        return new TelegramEmulator(
                TelegramEmulator.DEFAULT_TOKEN, TelegramEmulator.DEFAULT_USERNAME, Limits.relaxed());
    }
}
