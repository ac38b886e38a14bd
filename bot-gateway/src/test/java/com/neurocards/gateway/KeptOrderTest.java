package com.neurocards.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.CreditSource;
import com.neurocards.contracts.event.CreditsAdded;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationRejected;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.RejectionReason;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.InjectTelegramEmulator;
import com.neurocards.emulators.telegram.InlineButton;
import com.neurocards.emulators.telegram.Invoice;
import com.neurocards.emulators.telegram.PaymentAttempt;
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
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Never lose an order (docs/architecture.md#a-rejected-order-is-kept): the count step marks what the balance cannot
 * cover, with a top-up; an order billing rejects for credits is kept; a top-up offers its card again, one press from
 * starting; and a Confirm of an older card says truthfully what became of its order. Billing is played by publishing
 * its events to the gateway's queue; the payment is the real Stars flow against the Telegram emulator.
 */
@QuarkusTest
@WithTestResource(LocalInfrastructure.class)
@WithTestResource(RelaxedTelegramEmulator.class)
@WithTestResource(FakeBillingResource.class)
class KeptOrderTest {

    private static final String DEBIT = QueueName.BILLING_DEBIT.queueName();
    private static final String TOPUP = QueueName.BILLING_TOPUP.queueName();

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
    void newSeller() {
        infra.broker().purge(DEBIT);
        infra.broker().purge(TOPUP);
        chat = new BotChat(telegram, GatewayTestSupport.newUserId());
    }

    @Test
    void anOrderRejectedForCreditsIsKeptAndATopUpOffersItsCardAgainOnePressFromStarting() throws Exception {
        // balance 3 (the fake billing's welcome); Veo 3.1 Quality costs 3 a video: 3 videos (9) are marked
        String draft = Flows.toTemplate(chat);
        chat.press("tpl:" + draft + ":AD");
        chat.send("-");
        chat.press("mdl:" + draft + ":quality");
        ChatMessage counts = chat.last();
        assertThat(counts.text()).contains(ru("ask.count.short"));
        assertThat(counts.buttons())
                .extracting(InlineButton::text)
                .containsExactly(
                        ru("button.count", 1, 3),
                        ru("button.count.short", 3, 9),
                        ru("button.count.short", 5, 15),
                        ru("button.topup"),
                        ru("button.cancel"));
        assertThat(counts.buttons()).extracting(InlineButton::callbackData).contains("buy");

        chat.press("cnt:" + draft + ":3");
        String rejectedCardConfirm = Flows.confirm(chat, draft);
        chat.press(rejectedCardConfirm);
        GenerationRequested request = Flows.nextRequest(infra.broker());
        assertThat(request.model()).isEqualTo("veo3");

        // billing: not enough credits
        int before = chat.botCount();
        publish(new GenerationRejected(
                request.requestId(), chat.id(), chat.id(), Language.RU, RejectionReason.INSUFFICIENT_CREDITS, 3, 9));
        await().atMost(Duration.ofSeconds(10)).until(() -> chat.botCount() > before);
        ChatMessage kept = chat.last();
        assertThat(kept.text()).isEqualTo(ru("order.kept", 9));
        String keptDraft = String.valueOf(Long.parseLong(draft) + 1);
        assertThat(kept.buttons())
                .extracting(InlineButton::callbackData)
                .containsExactly("buy", "edit:" + keptDraft, "no:" + keptDraft);
        assertThat(conversation(chat.id())).isEqualTo("AWAIT_CONFIRM|" + keptDraft + "|true|veo3|3");

        // the rejected card's Confirm (a copy: the card itself has no buttons left) says what happened to it
        var copy = new Pipeline(client).buttons(chat.id(), rejectedCardConfirm);
        assertThat(chat.press(copy.getMessageId(), rejectedCardConfirm).text()).isEqualTo(ru("answer.rejected"));
        assertThat(Flows.anotherRequest(infra.broker())).isFalse();

        // a top-up through Telegram Stars; billing credits it and says so
        chat.press("buy");
        chat.press("pack:s");
        Invoice invoice = telegram.invoices(chat.id()).get(0);
        PaymentAttempt attempt = chat.user().pay(invoice.messageId());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> telegram.payment(attempt.preCheckoutQueryId())
                                .orElseThrow()
                                .status()
                        == PaymentAttempt.Status.PAID);
        chat.awaitHandled();
        GetResponse paid = infra.broker().await(TOPUP, Duration.ofSeconds(10));
        PaymentReceived payment =
                EventCodec.decode(paid.getBody(), PaymentReceived.class).payload();
        int beforeOffer = chat.botCount();
        publish(new CreditsAdded(
                chat.id(),
                chat.id(),
                Language.RU,
                payment.credits(),
                3 + payment.credits(),
                CreditSource.TOPUP,
                payment.chargeId()));

        // the same order's card again, right after a line saying so
        await().atMost(Duration.ofSeconds(10)).until(() -> offerAndCard(beforeOffer) != null);
        ChatMessage card = offerAndCard(beforeOffer);
        assertThat(card.kind()).isEqualTo("photo");
        assertThat(card.caption())
                .contains(Flows.DESCRIPTION)
                .contains(ru("card.model", ru("model.VEO3"), 3))
                .contains("9");
        assertThat(conversation(chat.id())).isEqualTo("AWAIT_CONFIRM|" + keptDraft + "|false|veo3|3");

        // one press starts it
        chat.press(Flows.confirm(chat, keptDraft));
        GenerationRequested again = Flows.nextRequest(infra.broker());
        assertThat(again.requestId()).isNotEqualTo(request.requestId());
        assertThat(again.description()).isEqualTo(request.description());
        assertThat(again.template()).isEqualTo(Template.AD);
        assertThat(again.model()).isEqualTo(VideoModel.VEO3.id());
        assertThat(again.count()).isEqualTo(3);
        assertThat(again.photo()).isEqualTo(request.photo());
        assertThat(again.progressMessageId()).isEqualTo(card.messageId());
    }

    @Test
    void aTopUpThatStillDoesNotCoverTheKeptOrderOffersNothingYet() throws Exception {
        String draft = Flows.toCard(chat, Template.UGC, VideoModel.VEO3, 5);
        chat.press(Flows.confirm(chat, draft));
        GenerationRequested request = Flows.nextRequest(infra.broker());
        publish(new GenerationRejected(
                request.requestId(), chat.id(), chat.id(), Language.RU, RejectionReason.INSUFFICIENT_CREDITS, 3, 15));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> conversation(chat.id()).startsWith("AWAIT_CONFIRM|"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ru("order.kept", 15).equals(chat.lastText()));
        int before = chat.botCount();

        publish(new CreditsAdded(chat.id(), chat.id(), Language.RU, 10, 13, CreditSource.TOPUP, "c-" + chat.id()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(13).equals(knownBalance(chat.id())));

        assertThat(chat.botCount()).as("no card: 13 credits do not cover 15").isEqualTo(before);
        assertThat(conversation(chat.id())).endsWith("|true|veo3|5");
    }

    @Test
    void anOrderRejectedAfterTheSellerStartedAnotherOneDoesNotTakeItsPlace() throws Exception {
        String draft = Flows.toCard(chat, Template.UGC, VideoModel.SORA2, 3);
        chat.press(Flows.confirm(chat, draft));
        GenerationRequested request = Flows.nextRequest(infra.broker());
        String newer = Flows.toTemplate(chat);
        int before = chat.botCount();

        publish(new GenerationRejected(
                request.requestId(), chat.id(), chat.id(), Language.RU, RejectionReason.INSUFFICIENT_CREDITS, 3, 6));
        await().atMost(Duration.ofSeconds(10)).until(() -> "REJECTED".equals(status(request.requestId())));

        assertThat(conversation(chat.id())).startsWith("AWAIT_TEMPLATE|" + newer + "|false");
        assertThat(chat.botCount()).isEqualTo(before);
    }

    @Test
    void theConfirmOfACardShownBeforeTheOrderChangedSaysSoAndTheConfirmOfAStartedOrderSaysThat() {
        String draft = Flows.toCard(chat, Template.AD, 1);
        String firstCard = Flows.confirm(chat, draft);
        chat.press("edit:" + draft);
        chat.press("ed:" + draft + ":count");
        chat.press("cnt:" + draft + ":3");
        String secondCard = Flows.confirm(chat, draft);
        assertThat(secondCard).isNotEqualTo(firstCard);

        assertThat(chat.press(firstCard).text()).isEqualTo(ru("answer.card_changed"));
        assertThat(Flows.anotherRequest(infra.broker())).isFalse();

        assertThat(chat.press(secondCard).text()).isEqualTo(ru("answer.started"));
        assertThat(Flows.nextRequest(infra.broker()).count()).isEqualTo(3);
        var copy = new Pipeline(client).buttons(chat.id(), secondCard);
        assertThat(chat.press(copy.getMessageId(), secondCard).text()).isEqualTo(ru("answer.already_started"));
        assertThat(Flows.anotherRequest(infra.broker())).isFalse();
    }

    /** The card offered again after the "here is your order again" line, among the bot's messages since {@code from}. */
    private ChatMessage offerAndCard(int from) {
        List<ChatMessage> since = chat.botMessagesSince(from);
        for (int i = 0; i + 1 < since.size(); i++) {
            if (ru("order.offer_again").equals(since.get(i).text())
                    && "photo".equals(since.get(i + 1).kind())) {
                return since.get(i + 1);
            }
        }
        return null;
    }

    private String ru(String key, Object... args) {
        return texts.get(Language.RU, key, args);
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

    /** step|draft number|kept|model|count of the user's conversation. */
    private String conversation(long userId) throws Exception {
        try (Connection db = infra.database().connect();
                PreparedStatement query = db.prepareStatement("SELECT step, draft_number, kept, model, video_count"
                        + " FROM gateway.conversation WHERE user_id = ?")) {
            query.setLong(1, userId);
            ResultSet rows = query.executeQuery();
            rows.next();
            return rows.getString(1) + "|" + rows.getObject(2) + "|" + rows.getBoolean(3) + "|" + rows.getString(4)
                    + "|" + rows.getInt(5);
        }
    }

    private String status(String requestId) throws Exception {
        try (Connection db = infra.database().connect();
                PreparedStatement query =
                        db.prepareStatement("SELECT status FROM gateway.generation WHERE request_id = ?")) {
            query.setString(1, requestId);
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
