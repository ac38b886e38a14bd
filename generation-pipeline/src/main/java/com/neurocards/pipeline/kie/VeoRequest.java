package com.neurocards.pipeline.kie;

/** What the pipeline asks Veo for: an image-to-video clip of the product photo. */
public record VeoRequest(String prompt, String imageUrl, String model, String aspectRatio, String callbackUrl) {}
