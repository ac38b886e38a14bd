package com.neurocards.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.neurocards.contracts.event.Event;
import com.neurocards.contracts.event.GenerationFailed;
import com.neurocards.contracts.event.GenerationFunded;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventCodecTest {

    @Test
    void everyEventTypeHasASample() {
        assertThat(SampleEvents.all().keySet()).containsExactlyInAnyOrder(EventType.values());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventSurvivesAJsonRoundTrip(EventType type) {
        Event event = SampleEvents.all().get(type);
        Envelope<Event> sent = Envelope.of(event);

        Envelope<Event> received = EventCodec.decode(EventCodec.encode(sent));

        assertThat(received).isEqualTo(sent);
        assertThat(received.eventType()).isEqualTo(type);
        assertThat(received.payload()).isInstanceOf(type.payloadType());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void unknownFieldsFromANewerProducerAreTolerated(EventType type) throws Exception {
        Envelope<Event> sent = Envelope.of(SampleEvents.all().get(type));
        ObjectNode tree = (ObjectNode) EventCodec.mapper().readTree(EventCodec.encode(sent));
        tree.put("addedByANewerRelease", "x");
        ((ObjectNode) tree.get("payload")).put("someNewField", 42);
        ((ObjectNode) tree.get("payload")).putObject("someNewObject").put("nested", true);

        Envelope<Event> received = EventCodec.decode(EventCodec.mapper().writeValueAsBytes(tree));

        assertThat(received).isEqualTo(sent);
    }

    @Test
    void theBodyIsReadableJsonWithIsoDatesAndTheEnvelopeFields() throws Exception {
        Envelope<GenerationRequested> envelope = Envelope.of(SampleEvents.REQUEST);

        JsonNode json = EventCodec.mapper().readTree(EventCodec.encodeToString(envelope));

        assertThat(json.get("id").asText()).isEqualTo(envelope.id().toString());
        assertThat(json.get("type").asText()).isEqualTo("generation.requested");
        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(json.get("occurredAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.get("correlationId").asText()).isEqualTo(SampleEvents.REQUEST.requestId());
        assertThat(json.get("payload").get("locale").asText()).isEqualTo("ru");
        assertThat(json.get("payload").get("description").asText()).contains("Керамическая");
        assertThat(json.get("payload").has("jobId"))
                .as("derived accessors stay out of the JSON")
                .isFalse();
    }

    @Test
    void aRequestWithoutItsCardReadsAsOneWithNoProgressMessageAndTheFundedEventCarriesTheCard() throws Exception {
        ObjectNode tree =
                (ObjectNode) EventCodec.mapper().readTree(EventCodec.encode(Envelope.of(SampleEvents.REQUEST)));
        ((ObjectNode) tree.get("payload")).remove("progressMessageId"); // as a gateway before the field wrote it

        Envelope<Event> older = EventCodec.decode(EventCodec.mapper().writeValueAsBytes(tree));
        GenerationFunded funded = new GenerationFunded(SampleEvents.REQUEST, List.of("j-1"), 3, 7);
        Envelope<Event> passedOn = EventCodec.decode(EventCodec.encode(Envelope.of(funded)));

        assertThat(((GenerationRequested) older.payload()).progressMessageId()).isNull();
        assertThat(((GenerationFunded) passedOn.payload()).request().progressMessageId())
                .isEqualTo(57);
    }

    @Test
    void causedByKeepsTheCorrelationAndPointsAtTheCause() {
        Envelope<GenerationRequested> cause = Envelope.of(SampleEvents.REQUEST);
        Envelope<Event> effect = Envelope.causedBy(cause, SampleEvents.all().get(EventType.GENERATION_FAILED));

        assertThat(effect.causationId()).isEqualTo(cause.id());
        assertThat(effect.correlationId()).isEqualTo(SampleEvents.REQUEST.requestId());
        assertThat(effect.jobId()).isEqualTo(SampleEvents.JOB.jobId());
        assertThat(effect.id()).isNotEqualTo(cause.id());
    }

    @Test
    void decodingAsTheWrongTypeIsRefused() {
        byte[] body = EventCodec.encode(Envelope.of(SampleEvents.REQUEST));

        assertThatThrownBy(() -> EventCodec.decode(body, GenerationFailed.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("generation.requested");
    }

    @Test
    void anUnknownTypeIsPoisonNotACrash() {
        String body =
                """
                {"id":"6c9f0a52-5e2a-4f61-8d5e-2b8f3f7f1a10","type":"video.teleported","version":1,
                 "occurredAt":"2026-11-22T10:00:00Z","correlationId":"r","payload":{}}""";

        assertThatThrownBy(() -> EventCodec.decode(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("video.teleported");
    }

    @Test
    void aFutureVersionIsRefusedRatherThanMisread() throws Exception {
        ObjectNode tree =
                (ObjectNode) EventCodec.mapper().readTree(EventCodec.encode(Envelope.of(SampleEvents.REQUEST)));
        tree.put("version", 2);

        assertThatThrownBy(() -> EventCodec.decode(EventCodec.mapper().writeValueAsBytes(tree)))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    void garbageIsMalformed() {
        assertThatThrownBy(() -> EventCodec.decode("not json at all".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> EventCodec.decode("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> EventCodec.decode(
                        "{\"type\":\"generation.requested\",\"version\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void languageCodesAreReadLeniently() {
        assertThat(Language.fromCode("en-GB")).isEqualTo(Language.EN);
        assertThat(Language.fromCode("EN")).isEqualTo(Language.EN);
        assertThat(Language.fromCode("de")).isEqualTo(Language.RU);
        assertThat(Language.fromCode(null)).isEqualTo(Language.RU);
    }
}
