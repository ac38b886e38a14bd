package com.neurocards.telegram;

import com.neurocards.messaging.safety.SafetyRule;
import com.neurocards.messaging.safety.Secrets;
import com.neurocards.messaging.safety.UnsafeSetting;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * A production service must talk to a real bot: the local demo token (or one of the wrong shape) would fail every
 * call with 401, and everyone knows it (docs/security.md).
 */
@Singleton
public class TelegramSafety implements SafetyRule {

    /** The token the application.properties default and the local demo use when none is set. */
    public static final String DEMO_TOKEN = "123456:LOCAL-DEMO-TOKEN";

    private final TelegramConfig config;

    TelegramSafety(TelegramConfig config) {
        this.config = config;
    }

    @Override
    public List<UnsafeSetting> check() {
        String token = config.botToken();
        if (DEMO_TOKEN.equals(token)) {
            return List.of(new UnsafeSetting(
                    "TELEGRAM_BOT_TOKEN", "is the local demo token", "set the token @BotFather gave your bot"));
        }
        if (!Secrets.wellFormedBotToken(token)) {
            return List.of(new UnsafeSetting(
                    "TELEGRAM_BOT_TOKEN",
                    "is not a bot token (<bot id>:<35 characters>)",
                    "set the token @BotFather gave your bot"));
        }
        return List.of();
    }
}
