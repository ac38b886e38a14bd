package com.neurocards.gateway.admin;

import com.neurocards.contracts.event.Language;
import com.neurocards.gateway.billing.BillingClient;
import com.neurocards.gateway.billing.BillingClient.GrantResult;
import com.neurocards.gateway.conversation.Input;
import com.neurocards.gateway.repository.ConversationRepository;
import com.neurocards.gateway.repository.GenerationRepository;
import com.neurocards.gateway.repository.UpdateLog;
import com.neurocards.gateway.telegram.ReplyRenderer;
import com.neurocards.messaging.Transactions;
import com.neurocards.telegram.MessageBundle;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Commands for {@code ADMIN_USER_IDS} only (anyone else never gets here: to them these are unknown commands):
 * {@code /grant <userId> <amount> [reason]} through billing, and {@code /stats}, the jobs by state as the gateway
 * sees them.
 */
@ApplicationScoped
public class AdminCommands {

    private static final Logger LOG = Logger.getLogger(AdminCommands.class);
    private static final Pattern GRANT = Pattern.compile("(\\d{1,19})\\s+(-?\\d{1,7})(?:\\s+([\\s\\S]{1,200}))?");

    private final Transactions transactions;
    private final UpdateLog updates;
    private final BillingClient billing;
    private final GenerationRepository generations;
    private final ConversationRepository conversations;
    private final ReplyRenderer renderer;
    private final MessageBundle texts;
    private final Pool pool;

    public AdminCommands(
            Transactions transactions,
            UpdateLog updates,
            BillingClient billing,
            GenerationRepository generations,
            ConversationRepository conversations,
            ReplyRenderer renderer,
            MessageBundle texts,
            Pool pool) {
        this.transactions = transactions;
        this.updates = updates;
        this.billing = billing;
        this.generations = generations;
        this.conversations = conversations;
        this.renderer = renderer;
        this.texts = texts;
        this.pool = pool;
    }

    public void handle(long updateId, long adminId, long chatId, Input.Command command) {
        boolean fresh = transactions
                .inTransaction(tx -> updates.claim(tx, updateId, adminId))
                .await()
                .atMost(Duration.ofSeconds(10));
        if (!fresh) {
            return;
        }
        Language lang = conversations.language(pool, adminId).await().atMost(Duration.ofSeconds(5));
        String reply =
                switch (command.name()) {
                    case "grant" -> grant(updateId, adminId, lang, command.args());
                    case "stats" -> stats(lang);
                    default -> texts.get(lang, "unknown_command");
                };
        renderer.text(chatId, reply, null);
    }

    private String grant(long updateId, long adminId, Language lang, String args) {
        Matcher m = GRANT.matcher(args == null ? "" : args.strip());
        if (!m.matches() || Long.parseLong(m.group(2)) == 0) {
            return texts.get(lang, "admin.grant.usage");
        }
        long userId = Long.parseLong(m.group(1));
        long amount = Long.parseLong(m.group(2));
        String reason = m.group(3) == null ? "admin grant" : m.group(3).strip();
        try {
            // The bot and update ids make the key: Telegram delivering the command twice grants once.
            GrantResult result = billing.grant(
                            userId,
                            amount,
                            reason + " (by " + adminId + ")",
                            "tg-grant:" + updates.botId() + ":" + updateId)
                    .await()
                    .atMost(Duration.ofSeconds(10));
            LOG.infof("Admin %d granted %d credits to user %d: %s", adminId, amount, userId, result);
            return result instanceof GrantResult.Granted granted
                    ? texts.get(lang, "admin.grant.ok", userId, amount, granted.balanceAfter())
                    : texts.get(lang, "admin.grant.rejected", userId);
        } catch (RuntimeException e) {
            LOG.warnf("Grant by admin %d failed: %s", adminId, e.getMessage());
            return texts.get(lang, "admin.billing_down");
        }
    }

    private String stats(Language lang) {
        GenerationRepository.Stats stats = generations.stats().await().atMost(Duration.ofSeconds(10));
        String byStatus = stats.jobsByStatus().isEmpty()
                ? "—"
                : stats.jobsByStatus().entrySet().stream()
                        .map(AdminCommands::line)
                        .collect(Collectors.joining("\n"));
        return texts.get(lang, "admin.stats", stats.requests(), byStatus);
    }

    private static String line(Map.Entry<String, Long> entry) {
        return "• " + entry.getKey() + ": " + entry.getValue();
    }
}
