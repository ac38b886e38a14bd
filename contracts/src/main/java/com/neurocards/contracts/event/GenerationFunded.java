package com.neurocards.contracts.event;

import java.util.List;

/** Billing debited the request; one job per video. Billing → prompt, notify. */
public record GenerationFunded(GenerationRequested request, List<String> jobIds, long creditsDebited, long balanceAfter)
        implements Event {

    public GenerationFunded {
        jobIds = List.copyOf(jobIds);
    }

    @Override
    public String correlationId() {
        return request.requestId();
    }
}
