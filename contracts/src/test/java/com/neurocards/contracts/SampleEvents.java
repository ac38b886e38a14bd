package com.neurocards.contracts;

import com.neurocards.contracts.event.CreditSource;
import com.neurocards.contracts.event.CreditsAdded;
import com.neurocards.contracts.event.CreditsRefunded;
import com.neurocards.contracts.event.DeliveryMode;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationDelivered;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRejected;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.GenerationRetrying;
import com.neurocards.contracts.event.JobRef;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.PaymentReceived;
import com.neurocards.contracts.event.PaymentRefunded;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.PollDue;
import com.neurocards.contracts.event.PromptBuilt;
import com.neurocards.contracts.event.PromptSource;
import com.neurocards.contracts.event.RejectionReason;
import com.neurocards.contracts.event.Template;
import com.neurocards.contracts.event.VideoReady;
import com.neurocards.contracts.event.VideoSubmitted;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One realistic event of every type, for tests. */
final class SampleEvents {

    static final GenerationRequested REQUEST = new GenerationRequested(
            "3f1c0a7e-1d2b-4c5d-9e8f-0a1b2c3d4e5f",
            1001L,
            1001L,
            Language.RU,
            new Photo("AgACAgIAAxkBAAIB", "AQADcb4xG"),
            "Керамическая кружка ручной работы, 350 мл",
            Template.UGC,
            "тёплый свет, кухня",
            null,
            3,
            "veo3_fast",
            "9:16",
            57);
    static final JobRef JOB = REQUEST.job(2);
    private static final Instant AT = Instant.parse("2026-11-22T10:15:30.123Z");

    static Map<EventType, Event> all() {
        Map<EventType, Event> events = new EnumMap<>(EventType.class);
        events.put(EventType.GENERATION_REQUESTED, REQUEST);
        events.put(
                EventType.GENERATION_FUNDED,
                new GenerationFunded(
                        REQUEST,
                        List.of(
                                JobRef.jobId(REQUEST.requestId(), 1),
                                JobRef.jobId(REQUEST.requestId(), 2),
                                JobRef.jobId(REQUEST.requestId(), 3)),
                        3,
                        7));
        events.put(
                EventType.GENERATION_REJECTED,
                new GenerationRejected(
                        REQUEST.requestId(), 1001L, 1001L, Language.EN, RejectionReason.INSUFFICIENT_CREDITS, 1, 3));
        events.put(
                EventType.PROMPT_BUILT,
                new PromptBuilt(
                        JOB, "A woman unboxes the mug in a sunny kitchen", PromptSource.LLM, "veo3_fast", "9:16"));
        events.put(
                EventType.VIDEO_SUBMITTED,
                new VideoSubmitted(JOB, "veo_task_abc", "veo3_fast", AT, AT.plusSeconds(900)));
        events.put(EventType.POLL_DUE, new PollDue(JOB, "veo_task_abc", AT.plusSeconds(900), 4));
        events.put(EventType.VIDEO_READY, new VideoReady(JOB, "veo_task_abc", "https://files.example/v.mp4", "720p"));
        events.put(
                EventType.GENERATION_RETRYING,
                new GenerationRetrying(JOB, Stage.SUBMIT, 2, ErrorClass.TEMPORARY, "KIE 455 maintenance"));
        events.put(
                EventType.GENERATION_FAILED,
                new GenerationFailed(
                        JOB,
                        Stage.POLL,
                        ErrorClass.USER,
                        400,
                        "Your prompt was flagged by Website as violating content policies",
                        1));
        events.put(EventType.CREDITS_REFUNDED, new CreditsRefunded(JOB, 1, 8, ErrorClass.USER));
        events.put(
                EventType.GENERATION_DELIVERED,
                new GenerationDelivered(JOB, 4242L, "BAACAgIAAxkBAAIC", DeliveryMode.VIDEO));
        events.put(
                EventType.PAYMENT_RECEIVED,
                new PaymentReceived("stxChargeId123", 1001L, 1001L, Language.RU, "pack10", 100, 10));
        events.put(
                EventType.PAYMENT_REFUNDED,
                new PaymentRefunded("stxChargeId123", 1001L, 1001L, Language.RU, "pack10", 100, 10));
        events.put(
                EventType.CREDITS_ADDED,
                new CreditsAdded(1001L, 1001L, Language.RU, 10, 17, CreditSource.TOPUP, "stxChargeId123"));
        return events;
    }

    private SampleEvents() {}
}
