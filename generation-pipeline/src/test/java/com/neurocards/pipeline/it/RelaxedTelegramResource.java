package com.neurocards.pipeline.it;

import com.neurocards.emulators.telegram.Limits;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulatorResource;

/** The Telegram emulator with its size limits but without flood control, for tests that are not about it. */
public class RelaxedTelegramResource extends TelegramEmulatorResource {

    @Override
    protected TelegramEmulator create() {
        return new TelegramEmulator(
                TelegramEmulator.DEFAULT_TOKEN, TelegramEmulator.DEFAULT_USERNAME, Limits.relaxed());
    }
}
