package com.neurocards.contracts.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The video models a seller can choose. {@link #id()} is the model's name at KIE, and the value of {@code model} in
 * {@code generation.requested} and {@code prompt.built}; {@link #code()} is the short name the bot's buttons carry;
 * {@link #api()} says which of KIE's two API families renders it. Prices are configuration, one per model
 * ({@code MODEL_PRICE_<code>}, docs/decisions/0018-model-prices.md): billing charges them, the gateway shows them.
 */
public enum VideoModel {
    /** Veo 3.1 Fast: the cheap default, about 2–3 minutes a clip. */
    VEO3_FAST("veo3_fast", "fast", Api.VEO),
    /** Veo 3.1 Quality: several times Fast's KIE cost, about 3–5 minutes a clip. */
    VEO3("veo3", "quality", Api.VEO),
    /** Sora 2 image-to-video, on KIE's Market ("jobs") API. */
    SORA2("sora-2-image-to-video", "sora2", Api.MARKET);

    /** KIE's two API families a video model lives in. */
    public enum Api {
        /** {@code POST /api/v1/veo/generate}, {@code GET /api/v1/veo/record-info}. */
        VEO,
        /** {@code POST /api/v1/jobs/createTask}, {@code GET /api/v1/jobs/recordInfo}. */
        MARKET
    }

    /** The model a request without one renders with. */
    public static final VideoModel DEFAULT = VEO3_FAST;

    private final String id;
    private final String code;
    private final Api api;

    VideoModel(String id, String code, Api api) {
        this.id = id;
        this.code = code;
        this.api = api;
    }

    public String id() {
        return id;
    }

    public String code() {
        return code;
    }

    public Api api() {
        return api;
    }

    /** The model KIE knows as {@code id}, if it is one of ours. */
    public static Optional<VideoModel> byId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    /** The model a button names by its {@code code}, if any. */
    public static Optional<VideoModel> byCode(String code) {
        return Arrays.stream(values()).filter(m -> m.code.equals(code)).findFirst();
    }

    /**
     * The API family of a model name: {@code MARKET} for Sora models (whatever their variant), {@code VEO} for
     * everything else ({@code KIE_MODEL} may name a Veo model this list does not offer).
     */
    public static Api apiOf(String id) {
        return byId(id).map(VideoModel::api).orElse(id != null && id.startsWith("sora-") ? Api.MARKET : Api.VEO);
    }
}
