package com.neurocards.gateway.admin;

import com.neurocards.contracts.event.Language;
import com.neurocards.gateway.config.GatewayConfig;
import com.neurocards.gateway.repository.ConversationRepository;
import com.neurocards.gateway.telegram.ReplyRenderer;
import com.neurocards.telegram.MessageBundle;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Tells the admins ({@code ADMIN_USER_IDS}) in their Telegram chats about something a person must settle, in each
 * admin's language. Best effort: what they are told about is already recorded in the database.
 */
@ApplicationScoped
public class AdminAlerts {

    private static final Logger LOG = Logger.getLogger(AdminAlerts.class);
    private static final Duration LANGUAGE_LOOKUP = Duration.ofSeconds(1);

    private final List<Long> admins;
    private final ConversationRepository conversations;
    private final ReplyRenderer renderer;
    private final MessageBundle texts;
    private final Pool pool;

    public AdminAlerts(
            GatewayConfig config,
            ConversationRepository conversations,
            ReplyRenderer renderer,
            MessageBundle texts,
            Pool pool) {
        this.admins = List.copyOf(config.adminUserIds().orElse(List.of()));
        this.conversations = conversations;
        this.renderer = renderer;
        this.texts = texts;
        this.pool = pool;
    }

    /** Sends the text {@code key} with {@code args} to every admin. */
    public void tell(String key, Object... args) {
        if (admins.isEmpty()) {
            LOG.warnf("No ADMIN_USER_IDS to tell about %s", key);
            return;
        }
        for (long admin : admins) {
            renderer.text(admin, texts.get(languageOf(admin), key, args), null);
        }
    }

    private Language languageOf(long userId) {
        try {
            return conversations.language(pool, userId).await().atMost(LANGUAGE_LOOKUP);
        } catch (RuntimeException e) {
            return Language.DEFAULT;
        }
    }
}
