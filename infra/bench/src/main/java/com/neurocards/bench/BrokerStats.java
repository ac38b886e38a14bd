package com.neurocards.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.neurocards.testing.LocalServices;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The broker's own count of the messages a vhost has carried (management API {@code message_stats}): what one video
 * really costs in messages. The counts are refreshed every few seconds (the broker's statistics interval), so a reading
 * is taken only once the system has been quiet for longer than that.
 */
final class BrokerStats {

    /** RabbitMQ's default {@code collect_statistics_interval} is 5 s; wait a little longer before reading. */
    static final Duration REFRESH = Duration.ofSeconds(6);

    record Counts(long published, long acknowledged) {
        Counts minus(Counts earlier) {
            return new Counts(published - earlier.published, acknowledged - earlier.acknowledged);
        }
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String vhost;

    BrokerStats(String vhost) {
        this.vhost = vhost;
    }

    Counts counts() {
        String auth = Base64.getEncoder()
                .encodeToString((LocalServices.rabbitUser() + ":" + LocalServices.rabbitPassword())
                        .getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create("http://" + LocalServices.rabbitHost() + ":" + LocalServices.rabbitManagementPort()
                + "/api/vhosts/" + URLEncoder.encode(vhost, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .header("Authorization", "Basic " + auth)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("management API answered " + response.statusCode() + " for " + uri);
            }
            JsonNode stats = JSON.readTree(response.body()).path("message_stats");
            return new Counts(stats.path("publish").asLong(), stats.path("ack").asLong());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the broker's statistics at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
