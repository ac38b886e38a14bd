package com.neurocards.telegram;

import com.neurocards.messaging.safety.SafetyRule;
import com.neurocards.messaging.safety.Secrets;
import com.neurocards.messaging.safety.UnsafeSetting;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A production service must talk to a real bot: the local demo token (or one of the wrong shape) would fail every
 * call with 401, and everyone knows it (docs/security.md). And the bot's users must be able to reach a person: without
 * a valid {@code SUPPORT_CONTACT} a seller whose payment or video fails on our side would have no one to write to.
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
        List<UnsafeSetting> findings = new ArrayList<>();
        String token = config.botToken();
        if (DEMO_TOKEN.equals(token)) {
            findings.add(new UnsafeSetting(
                    "TELEGRAM_BOT_TOKEN", "is the local demo token", "set the token @BotFather gave your bot"));
        } else if (!Secrets.wellFormedBotToken(token)) {
            findings.add(new UnsafeSetting(
                    "TELEGRAM_BOT_TOKEN",
                    "is not a bot token (<bot id>:<35 characters>)",
                    "set the token @BotFather gave your bot"));
        }
        Optional<String> support =
                SupportContact.problem(config.supportContact().orElse(""));
        support.ifPresent(problem -> findings.add(new UnsafeSetting(
                SupportContact.VARIABLE,
                problem + ", so a seller whose payment or video fails on our side would have no one to write to",
                "set the @username or https link where sellers reach a person (@your_support,"
                        + " https://t.me/your_support)")));
        return findings;
    }
}
