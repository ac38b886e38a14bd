package com.neurocards.emulators.kie;

import com.neurocards.emulators.quarkus.EmulatorTestResource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a {@link KieEmulator} for a Quarkus test class:
 * {@code @QuarkusTestResource(KieEmulatorResource.class)} plus a field {@code @InjectKieEmulator KieEmulator kie;}.
 * The application gets {@code KIE_API_URL} and {@code KIE_UPLOAD_URL} (both the emulator) and {@code KIE_API_KEYS}
 * (one valid key, {@link KieSettings#DEFAULT_API_KEY}), and {@code VIDEO_DOWNLOAD_ALLOWED_HOSTS} (the emulator's
 * {@link KieEmulator#resultHost()}, so its plain-HTTP local results may be downloaded). For more keys: {@code kie.addApiKey("k2")} in the test, or
 * the init arg {@code keys} ("k1,k2" — all of them are then handed to the application, comma-separated).
 * Init arg {@code hmacKey} signs callbacks and sets {@code KIE_WEBHOOK_HMAC_KEY}; {@code renderPolls} sets the render length.
 */
public class KieEmulatorResource extends EmulatorTestResource<KieEmulator> {

    private Map<String, String> initArgs = Map.of();

    public KieEmulatorResource() {
        super(KieEmulator.class, InjectKieEmulator.class);
    }

    @Override
    public void init(Map<String, String> initArgs) {
        this.initArgs = initArgs == null ? Map.of() : initArgs;
    }

    @Override
    protected KieEmulator create() {
        KieSettings settings = KieSettings.defaults();
        String keys = initArgs.get("keys");
        if (keys != null && !keys.isBlank()) {
            settings.apiKeys(keys.split("\\s*,\\s*"));
        }
        if (initArgs.containsKey("hmacKey")) {
            settings.webhookHmacKey(initArgs.get("hmacKey"));
        }
        if (initArgs.containsKey("renderPolls")) {
            settings.renderPolls(Integer.parseInt(initArgs.get("renderPolls")));
        }
        return new KieEmulator(settings);
    }

    @Override
    protected Map<String, String> config(KieEmulator kie) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("KIE_API_URL", kie.baseUrl());
        config.put("KIE_UPLOAD_URL", kie.baseUrl());
        config.put("KIE_API_KEYS", String.join(",", kie.settings().apiKeys()));
        // the emulator serves its results over plain HTTP on a local address: only its own host:port is allowed
        config.put("VIDEO_DOWNLOAD_ALLOWED_HOSTS", kie.resultHost());
        if (kie.settings().webhookHmacKey() != null) {
            config.put("KIE_WEBHOOK_HMAC_KEY", kie.settings().webhookHmacKey());
        }
        return config;
    }
}
