package com.neurocards.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** What every service must show on {@code /q/health}: up, with the broker and the database among its checks. */
public final class HealthAssertions {

    private HealthAssertions() {}

    public static void assertReadyWithBrokerAndDatabase() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("rabbitmq", "Reactive PostgreSQL connections health check"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
