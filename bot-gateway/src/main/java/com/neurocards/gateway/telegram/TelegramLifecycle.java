package com.neurocards.gateway.telegram;

import com.neurocards.contracts.Redaction;
import com.neurocards.contracts.event.Language;
import com.neurocards.gateway.config.GatewayConfig;
import com.neurocards.telegram.BotSender;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.telegram.TelegramConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.List;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.meta.api.methods.commands.SetMyCommands;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.commands.BotCommand;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Starts receiving updates the configured way once messaging is up: long polling (the default, one instance), or
 * a webhook registered with its secret token (several instances).
 */
@ApplicationScoped
public class TelegramLifecycle {

    private static final Logger LOG = Logger.getLogger(TelegramLifecycle.class);
    private static final int REGISTER_TRIES = 3;
    private static final List<String> COMMANDS =
            List.of("start", "cancel", "language", "help", "support", "paysupport");

    private final GatewayConfig config;
    private final UpdatePoller poller;
    private final TelegramClient client;
    private final List<String> secrets;
    private final BotSender sender;
    private final MessageBundle texts;

    public TelegramLifecycle(
            GatewayConfig config,
            UpdatePoller poller,
            TelegramClient client,
            TelegramConfig telegram,
            BotSender sender,
            MessageBundle texts) {
        this.config = config;
        this.poller = poller;
        this.client = client;
        this.secrets = List.of(telegram.botToken());
        this.sender = sender;
        this.texts = texts;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 200) StartupEvent event) {
        if (config.mode() == GatewayConfig.Mode.WEBHOOK) {
            registerWebhook();
        } else if (config.polling().enabled()) {
            poller.start(config.polling().timeoutSeconds(), config.polling().parallelism());
        }
        if (config.mode() == GatewayConfig.Mode.WEBHOOK || config.polling().enabled()) {
            publishCommands();
        }
    }

    /** The command menu Telegram shows next to the input field, in both languages. Best effort. */
    private void publishCommands() {
        for (Language language : Language.values()) {
            List<BotCommand> commands = COMMANDS.stream()
                    .map(name -> new BotCommand(name, texts.get(language, "command." + name)))
                    .toList();
            SetMyCommands.SetMyCommandsBuilder<?, ?> set =
                    SetMyCommands.builder().commands(commands);
            if (language != Language.DEFAULT) {
                set.languageCode(language.code());
            }
            SetMyCommands built = set.build();
            sender.trySend("setMyCommands", c -> c.execute(built)).await().indefinitely();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        poller.stop();
    }

    private void registerWebhook() {
        String url = config.webhook()
                .url()
                .orElseThrow(() -> new IllegalStateException("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_URL"));
        if (config.webhook().secret().filter(secret -> !secret.isBlank()).isEmpty()) {
            LOG.warn("Webhook mode without TELEGRAM_WEBHOOK_SECRET: every webhook call is refused until it is set");
        }
        if (!config.webhook().register()) {
            return;
        }
        SetWebhook.SetWebhookBuilder<?, ?> webhook =
                SetWebhook.builder().url(url).allowedUpdates(UpdatePoller.ALLOWED_UPDATES);
        config.webhook().secret().ifPresent(webhook::secretToken);
        SetWebhook request = webhook.build();
        for (int attempt = 1; attempt <= REGISTER_TRIES; attempt++) {
            try {
                client.execute(request);
                LOG.infof("Receiving Telegram updates by webhook at %s", url);
                return;
            } catch (TelegramApiException e) {
                // Not fatal: Telegram keeps the last webhook it was given; an operator sees this in the log.
                LOG.errorf(
                        "Could not register the webhook (try %d of %d): %s",
                        attempt, REGISTER_TRIES, Redaction.redact(Redaction.describe(e), secrets));
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
