package com.neurocards.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.neurocards.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The three services start as separate processes against the emulators and the real broker and database. */
class WholeSystemIT extends WholeSystemTest {

    @Test
    void everyServiceIsReadyWithItsBrokerAndDatabase() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (var service : new ServiceProcess[] {system.billing, system.pipeline, system.gateway}) {
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/health/ready"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\": \"UP\"").contains("rabbitmq");
        }
    }
}
