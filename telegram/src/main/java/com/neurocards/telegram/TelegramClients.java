package com.neurocards.telegram;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/** The one place a Telegram client is built: telegrambots' OkHttp client on the configured Bot API base URL. */
@ApplicationScoped
public class TelegramClients {

    private final TelegramConfig config;
    private final OkHttpClient http;
    /** Clients with a longer timeout for uploads, by whole seconds; they share {@link #http}'s connections. */
    private final Map<Long, TelegramClient> longer = new ConcurrentHashMap<>();

    public TelegramClients(TelegramConfig config) {
        this.config = config;
        this.http = new OkHttpClient.Builder()
                .callTimeout(config.timeout())
                .readTimeout(config.timeout())
                .build();
    }

    @Produces
    @Singleton
    TelegramClient telegramClient() {
        return new OkHttpTelegramClient(http, config.botToken(), telegramUrl(config.apiUrl()));
    }

    /**
     * A client whose calls may each take up to {@code timeout} (rounded up to a whole second), writing the request and
     * waiting for the answer included: for uploads, which take longer than {@code TELEGRAM_TIMEOUT} allows. Same base
     * URL, token and connection pool as {@link #telegramClient()}; a call is never repeated by OkHttp on its own.
     */
    public TelegramClient withTimeout(Duration timeout) {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return longer.computeIfAbsent(seconds, s -> {
            Duration t = Duration.ofSeconds(s);
            return new OkHttpTelegramClient(
                    http.newBuilder()
                            .callTimeout(t)
                            .readTimeout(t)
                            .writeTimeout(t)
                            // OkHttp would otherwise repeat a call silently when a reused connection closes
                            // without an answer: for an upload Telegram may have taken, that is a second video
                            .retryOnConnectionFailure(false)
                            .build(),
                    config.botToken(),
                    telegramUrl(config.apiUrl()));
        });
    }

    /** The OkHttp client the Telegram client uses, for the file downloads that must go to the same base URL. */
    OkHttpClient http() {
        return http;
    }

    /** {@code https://api.telegram.org} → telegrambots' {@link TelegramUrl} (scheme, host, port). */
    public static TelegramUrl telegramUrl(String apiUrl) {
        URI uri = URI.create(apiUrl);
        String scheme = uri.getScheme() == null ? "https" : uri.getScheme();
        int port = uri.getPort() > 0 ? uri.getPort() : ("http".equals(scheme) ? 80 : 443);
        return TelegramUrl.builder()
                .schema(scheme)
                .host(uri.getHost())
                .port(port)
                .testServer(false)
                .build();
    }
}
