package com.neurocards.emulators.llm;

import com.neurocards.emulators.quarkus.EmulatorTestResource;
import java.util.Map;

/**
 * Runs an {@link LlmEmulator} for a Quarkus test class:
 * {@code @QuarkusTestResource(LlmEmulatorResource.class)} plus a field {@code @InjectLlmEmulator LlmEmulator llm;}.
 * Hands the application {@code LLM_API_URL} = the emulator's base URL <b>without</b> {@code /v1} (the client calls
 * {@code <LLM_API_URL>/v1/chat/completions}), {@code LLM_API_KEY} and {@code LLM_MODEL} ({@value LlmSettings#DEFAULT_MODEL}).
 */
public class LlmEmulatorResource extends EmulatorTestResource<LlmEmulator> {

    public LlmEmulatorResource() {
        super(LlmEmulator.class, InjectLlmEmulator.class);
    }

    @Override
    protected LlmEmulator create() {
        return new LlmEmulator();
    }

    @Override
    protected Map<String, String> config(LlmEmulator llm) {
        return Map.of("LLM_API_URL", llm.baseUrl(), "LLM_API_KEY", llm.apiKey(), "LLM_MODEL", llm.model());
    }
}
