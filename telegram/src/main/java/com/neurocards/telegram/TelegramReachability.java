package com.neurocards.telegram;

import com.neurocards.contracts.Redaction;
import com.neurocards.messaging.health.OutsideService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/** The Bot API as a health probe: {@code getMe} on the configured base URL (cheap, no side effects). */
@ApplicationScoped
public class TelegramReachability implements OutsideService {

    private final TelegramClient client;
    private final List<String> secrets;

    public TelegramReachability(TelegramClient client, TelegramConfig config) {
        this.client = client;
        this.secrets = List.of(config.botToken());
    }

    @Override
    public String name() {
        return "telegram";
    }

    @Override
    public String probe() throws TelegramApiException {
        try {
            User me = client.execute(new GetMe());
            return "bot @" + me.getUserName();
        } catch (TelegramApiException e) {
            // the token sits in the Bot API URL: never let it reach the health output
            throw new TelegramApiException(Redaction.redact(String.valueOf(e.getMessage()), secrets));
        }
    }
}
