package com.neurocards.billing;

import static io.restassured.RestAssured.given;

import com.neurocards.billing.rest.InternalTokenFilter;
import com.neurocards.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/**
 * Gives a billing test application a per-run {@code BILLING_INTERNAL_TOKEN} (a fresh random one each JVM, never
 * printed), and test code the requests that present it.
 */
public class InternalToken implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = ServiceProcess.randomSecret();

    @Override
    public Map<String, String> start() {
        return Map.of("neurocards.billing.internal-token", TOKEN);
    }

    @Override
    public void stop() {}

    /** A request to billing's internal API with the right token. */
    static RequestSpecification internal() {
        return given().header(InternalTokenFilter.HEADER, TOKEN);
    }
}
