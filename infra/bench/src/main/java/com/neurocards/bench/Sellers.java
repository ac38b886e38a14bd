package com.neurocards.bench;

import com.neurocards.contracts.BrokerUser;
import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.EventCodec;
import com.neurocards.contracts.Topology;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import com.neurocards.emulators.telegram.ChatMessage;
import com.neurocards.emulators.telegram.SampleMedia;
import com.neurocards.harness.NeuroCardsSystem;
import com.neurocards.testing.BrokerProbe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sellers of the benchmark: each has sent the bot a product photo (as every request starts, so the chat exists and
 * the photo is a real Telegram file the pipeline downloads), and their confirmed requests are published as the
 * gateway publishes them after Confirm: {@code generation.requested}, as the gateway's broker user, confirmed by the
 * broker. Billing then debits and funds them like any other.
 */
final class Sellers {

    /** Each seller's photo differs (a real seller's does): the pipeline fetches and uploads every one. */
    private static final int PHOTO_SIDE = 640;

    record Seller(long userId, Photo photo) {}

    private final NeuroCardsSystem system;
    private final BrokerProbe gateway;
    private long nextUserId;

    Sellers(NeuroCardsSystem system, long firstUserId) {
        this.system = system;
        this.gateway = system.infra.brokerAs(BrokerUser.GATEWAY);
        this.nextUserId = firstUserId;
    }

    /** {@code count} new sellers, each with a photo sent to the bot. */
    List<Seller> enroll(int count) {
        List<Seller> sellers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long userId = nextUserId++;
            ChatMessage sent = system.telegram
                    .user(userId)
                    .sendPhoto(SampleMedia.jpeg(PHOTO_SIDE + (int) (userId % 97), PHOTO_SIDE));
            JsonArray sizes = sent.json().getJsonArray("photo");
            JsonObject largest = sizes.getJsonObject(sizes.size() - 1);
            sellers.add(
                    new Seller(userId, new Photo(largest.getString("file_id"), largest.getString("file_unique_id"))));
        }
        return sellers;
    }

    /**
     * Waits until the bot has answered every one of {@code sellers}' photos (its reply is in each chat), so that a
     * phase starts with the gateway idle and no chat still waiting for its next send; after {@code timeout} it says how
     * many were answered and lets the phase start.
     */
    void awaitAnswered(List<Seller> sellers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int from = 0;
        while (from < sellers.size() && System.nanoTime() < deadline) {
            if (system.telegram.botMessages(sellers.get(from).userId()).isEmpty()) {
                Thread.sleep(50);
            } else {
                from++;
            }
        }
        if (from < sellers.size()) {
            BenchMain.say(
                    "the bot answered %d of %d new sellers' photos within %s; the phase starts with the rest pending",
                    from, sellers.size(), timeout);
        }
    }

    /** Publishes one confirmed request of {@code videos} videos; returns its request id. */
    String offer(Seller seller, int videos, Template template) {
        GenerationRequested request = request(seller, videos, template);
        Envelope<GenerationRequested> envelope = Envelope.of(request);
        gateway.publish(
                Topology.EXCHANGE,
                envelope.eventType().routingKey(),
                gateway.stamped(envelope.id().toString(), envelope.type(), Map.of()),
                EventCodec.encode(envelope));
        return request.requestId();
    }

    /** What the gateway publishes when {@code seller} confirms {@code videos} videos of {@code template}. */
    static GenerationRequested request(Seller seller, int videos, Template template) {
        return new GenerationRequested(
                UUID.randomUUID().toString(),
                seller.userId(),
                seller.userId(),
                Language.EN,
                seller.photo(),
                "Wireless earbuds in a white charging case, 30 hours of battery",
                template,
                "bright kitchen, morning light",
                template == Template.SELF ? "A hand takes the earbuds from the case and puts one in" : null,
                videos,
                "veo3_fast",
                "9:16");
    }

    /** A typical event on the wire: the funded form of a five-video request, as billing passes it to the pipeline. */
    static byte[] typicalEvent() {
        Seller seller =
                new Seller(7_000_000_001L, new Photo("AgACAgIAAxkBAAIB" + "x".repeat(60), "AQADx" + "y".repeat(10)));
        GenerationRequested request = request(seller, 5, Template.UGC);
        List<String> jobs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            jobs.add(request.job(i).jobId());
        }
        return EventCodec.encode(Envelope.of(new GenerationFunded(request, jobs, 5, 99_995)));
    }
}
