package com.neurocards.pipeline.llm;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.health.OutsideService;
import com.neurocards.pipeline.error.Classification;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;

/**
 * The LLM as a health probe: {@code GET <base>/v1/models} with our key (no tokens spent). Without a key the prompt
 * stage uses its built-in templates, so there is nothing to be down. Probes run one after another on their own
 * thread, which waits for the answer here.
 */
@ApplicationScoped
public class LlmReachability implements OutsideService {

    /** Beyond the REST client's own timeouts. */
    private static final Duration PROBE_WAIT = Duration.ofMinutes(2);

    private final LlmClient llm;

    public LlmReachability(LlmClient llm) {
        this.llm = llm;
    }

    @Override
    public String name() {
        return "llm";
    }

    @Override
    public String probe() throws IOException {
        if (!llm.configured()) {
            return "not configured: prompts come from the built-in templates";
        }
        int status;
        try {
            llm.models().await().atMost(PROBE_WAIT);
            status = 200;
        } catch (LlmException e) {
            Classification c = e.classification();
            if (c.providerCode() == null) {
                throw new IOException(c.reason());
            }
            status = c.providerCode();
            if (c.errorClass() == ErrorClass.AUTH) {
                throw new IOException("the LLM refused our key (HTTP " + status + ")");
            }
            if (status >= 500) {
                throw new IOException("the LLM answered HTTP " + status);
            }
        }
        return "reachable (HTTP " + status + "), model " + llm.model();
    }
}
