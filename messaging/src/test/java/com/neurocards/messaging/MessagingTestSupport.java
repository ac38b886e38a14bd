package com.neurocards.messaging;

import com.neurocards.contracts.Envelope;
import com.neurocards.contracts.event.GenerationRequested;
import com.neurocards.contracts.event.Language;
import com.neurocards.contracts.event.Photo;
import com.neurocards.contracts.event.Template;
import java.util.UUID;

final class MessagingTestSupport {

    private MessagingTestSupport() {}

    /** A request whose description scripts {@link ScriptedStage}. */
    static Envelope<GenerationRequested> request(String script) {
        return Envelope.of(new GenerationRequested(
                UUID.randomUUID().toString(),
                7L,
                7L,
                Language.EN,
                new Photo("file-1", "uniq-1"),
                script,
                Template.AD,
                "-",
                null,
                1,
                "veo3_fast",
                "9:16"));
    }
}
