package com.neurocards.pipeline.llm;

import com.neurocards.contracts.event.PromptSource;

/** One job's video prompt and who wrote it. */
public record WrittenPrompt(String text, PromptSource source) {}
