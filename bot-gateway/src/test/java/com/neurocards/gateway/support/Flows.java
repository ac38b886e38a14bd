package com.neurocards.gateway.support;

import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.QueueName;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.model.VideoModel;
import com.neurocards.emulators.telegram.BotChat;
import com.neurocards.testing.BrokerProbe;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;

/** Short ways through the conversation, for tests about what happens after. */
public final class Flows {

    public static final String DESCRIPTION = "Кожаный кошелёк ручной работы, 12 карт, подарочная коробка";

    private Flows() {}

    /** From the menu to the template question; returns the draft number. */
    public static String toTemplate(BotChat chat) {
        chat.send("/start");
        chat.press("gen");
        chat.sendPhoto();
        chat.send(DESCRIPTION);
        return chat.button("tpl:").split(":")[1];
    }

    /** From the menu to the confirmation card; returns the draft number. */
    public static String toCard(BotChat chat, Template template, int count) {
        return toCard(chat, template, VideoModel.DEFAULT, count);
    }

    /** From the menu to the confirmation card of {@code count} videos of {@code model}; returns the draft number. */
    public static String toCard(BotChat chat, Template template, VideoModel model, int count) {
        String draft = toTemplate(chat);
        chat.press("tpl:" + draft + ":" + template.name());
        chat.send(template == Template.SELF ? "A close-up of the wallet on a wooden desk" : "-");
        chat.press("mdl:" + draft + ":" + model.code());
        chat.press("cnt:" + draft + ":" + count);
        return draft;
    }

    /** The Confirm button's data on the latest card of draft {@code draft}. */
    public static String confirm(BotChat chat, String draft) {
        return chat.button("ok:" + draft + ":");
    }

    /** The next generation.requested on billing's queue. */
    public static GenerationRequested nextRequest(BrokerProbe broker) {
        GetResponse response = broker.await(QueueName.BILLING_DEBIT.queueName(), Duration.ofSeconds(10));
        if (response == null) {
            throw new AssertionError("no generation.requested was published");
        }
        return EventCodec.decode(response.getBody(), GenerationRequested.class).payload();
    }

    /** Whether another generation.requested arrives within a short while. */
    public static boolean anotherRequest(BrokerProbe broker) {
        return broker.await(QueueName.BILLING_DEBIT.queueName(), Duration.ofMillis(700)) != null;
    }
}
