package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.ErrorClass;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Stage;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.CreditSource;
import com.neurocards.contracts.event.CreditsAdded;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.TelegramEmulator;
import com.neurocards.gateway.support.FakeBilling;
import com.neurocards.gateway.support.FakeBillingResource;
import com.neurocards.gateway.support.Flows;
import com.neurocards.gateway.support.GatewayTestSupport;
import com.neurocards.gateway.support.InjectFakeBilling;
import com.neurocards.gateway.support.Pipeline;
import com.neurocards.gateway.support.RelaxedTelegramEmulator;
import com.neurocards.telegram.MessageBundle;
import com.neurocards.testing.BrokerProbe;
import com.neurocards.testing.InjectInfrastructure;
import com.neurocards.testing.LocalInfrastructure;
import com.neurocards.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * The gateway's view of what happened after Confirm (from {@code gateway.updates}): "My videos" with states, a
 * delivered video sent again by its file id, and the menu's balance when billing is down or slow.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class MyVideosAndBalanceTest {

    @InjectInfrastructure
    TestInfrastructure infra;

    @InjectTelegramEmulator
    TelegramEmulator telegram;

    @InjectFakeBilling
    FakeBilling billing;

    @Inject
    MessageBundle texts;

    @Inject
    TelegramClient client;

    BotChat chat;

    @BeforeEach
    void newUser() {
        infra.broker().purge(QueueName.BILLING_DEBIT.queueName());
        chat = new BotChat(telegram, GatewayTestSupport.newUserId());
    }

    @AfterEach
    void billingBack() {
        billing.down(false);
        billing.slow(false);
    }

    @Test
    void myVideosShowsEachVideosStateAndSendsADeliveredOneAgainByItsFileId() throws Exception {
        chat.send("/videos");
        assertThat(chat.lastText()).isEqualTo(texts.get(Language.RU, "videos.empty"));

        String draft = Flows.toCard(chat, Template.UGC, 3);
        chat.press(chat.button("ok:" + draft + ":"));
        GenerationRequested request = Flows.nextRequest(infra.broker());
        publish(new GenerationFunded(
                request,
                List.of(
                        request.job(1).jobId(),
                        request.job(2).jobId(),
                        request.job(3).jobId()),
                3,
                0));
        Message video =
                new Pipeline(client).deliverVideo(chat.id(), request.job(1).jobId());
        String fileId = video.getVideo().getFileId();
        publish(new GenerationDelivered(request.job(1), video.getMessageId(), fileId, DeliveryMode.VIDEO));
        publish(new GenerationFailed(request.job(2), Stage.POLL, ErrorClass.USER, 400, "content policy", 1));
        publish(new CreditsRefunded(request.job(2), 1, 1, ErrorClass.USER));
        awaitJobStatus(request.job(2).jobId(), "REFUNDED");
        awaitJobStatus(request.job(1).jobId(), "DELIVERED");

        chat.press("vids");
        String listing = chat.lastText();
        assertThat(listing)
                .startsWith(texts.get(Language.RU, "videos.title"))
                .contains("UGC")
                .contains("✅ ↩️ ⏳");
        String resend = chat.button("vid:");
        assertThat(resend).isEqualTo("vid:" + request.job(1).jobId());

        chat.press(resend);
        ChatMessage again = chat.last();
        assertThat(again.kind()).isEqualTo("video");
        assertThat(again.fileId()).isEqualTo(fileId);
        assertThat(again.buttons())
                .extracting(b -> b.callbackData())
                .containsExactly("more:" + request.job(1).jobId(), "menu");
    }

    @Test
    void theMenuShowsTheLastBalanceSeenWhenBillingIsDownAndNeverWaitsForASlowBilling() throws Exception {
        billing.down(true);
        chat.send("/start");
        assertThat(chat.lastText()).isEqualTo(texts.get(Language.RU, "menu.text.balance_unknown", 1));

        publish(new CreditsAdded(chat.id(), chat.id(), Language.RU, 10, 13, CreditSource.TOPUP, "charge-" + chat.id()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(13).equals(knownBalance(chat.id())));
        chat.send("/start");
        assertThat(chat.lastText()).isEqualTo(texts.get(Language.RU, "menu.text.balance_stale", 13, 1));

        billing.down(false);
        billing.slow(true);
        long started = System.nanoTime();
        chat.send("/start");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3900));
        assertThat(chat.lastText()).isEqualTo(texts.get(Language.RU, "menu.text.balance_stale", 13, 1));

        billing.slow(false);
        billing.setBalance(chat.id(), 21);
        chat.send("/start");
        assertThat(chat.lastText()).isEqualTo(texts.get(Language.RU, "menu.text", 21, 1));
    }

    private void publish(Event event) {
        Envelope<Event> envelope = Envelope.of(event);
        infra.broker()
                .publish(
                        Topology.EXCHANGE,
                        envelope.type(),
                        BrokerProbe.json(envelope.id().toString(), envelope.type(), Map.of()),
                        EventCodec.encode(envelope));
    }

    private void awaitJobStatus(String jobId, String status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> status.equals(jobStatus(jobId)));
    }

    private String jobStatus(String jobId) throws Exception {
        try (Connection db = infra.database().connect();
                PreparedStatement query = db.prepareStatement("SELECT status FROM gateway.job WHERE job_id = ?")) {
            query.setString(1, jobId);
            ResultSet rows = query.executeQuery();
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private Long knownBalance(long userId) throws Exception {
        try (Connection db = infra.database().connect();
                PreparedStatement query =
                        db.prepareStatement("SELECT balance FROM gateway.known_balance WHERE user_id = ?")) {
            query.setLong(1, userId);
            ResultSet rows = query.executeQuery();
            return rows.next() ? rows.getLong(1) : null;
        }
    }
}
