package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Downloads a rendered video from KIE's result host right away (result URLs expire), without blocking a thread: at
 * most {@code maxBytes} are read — a bigger video (by its {@code Content-Length}, or once more bytes than that arrived)
 * is empty, for the caller to send a link instead — and the connection is dropped at once. Redirects are followed
 * (at most 5), never from HTTPS down to HTTP. A connection or body that stays silent for {@code idleTimeout} fails.
 */
public class VideoDownloader {

    private static final String USER_AGENT = "Mozilla/5.0 (compatible; NeuroCards/1.0)";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final HttpClient http;
    private final long maxBytes;
    private final Duration idleTimeout;

    public VideoDownloader(Vertx vertx, long maxBytes, Duration idleTimeout) {
        this.maxBytes = maxBytes;
        this.idleTimeout = idleTimeout;
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
                .setMaxRedirects(5);
        this.http = HttpClient.newInstance(vertx.getDelegate()
                .httpClientBuilder()
                .with(options)
                .withRedirectHandler(this::redirect)
                .build());
    }

    /** The video's bytes, or empty when it is larger than {@code maxBytes}; a classified {@link StageException} else. */
    public Uni<Optional<byte[]>> download(String videoUrl) {
        return http.request(request(videoUrl))
                .chain(request -> request.send())
                .onFailure()
                .transform(e -> Failures.of(ErrorClassifier.network("KIE result host", e)))
                .chain(this::body);
    }

    private Uni<Optional<byte[]>> body(HttpClientResponse response) {
        int status = response.statusCode();
        if (status != 200) {
            response.request().reset();
            return Uni.createFrom()
                    .failure(
                            status >= 500 || status == 429
                                    ? Failures.of(ErrorClassifier.kieHttp(status))
                                    : new StageException(
                                            ErrorClass.UNKNOWN,
                                            status,
                                            "the rendered video is gone (HTTP " + status + ")"));
        }
        if (declaredLength(response) > maxBytes) {
            response.request().reset();
            return Uni.createFrom().item(Optional.empty());
        }
        return response.toMulti()
                .collect()
                .in(Buffer::buffer, (all, chunk) -> {
                    if (all.length() + chunk.length() > maxBytes) {
                        throw new TooLarge();
                    }
                    all.appendBuffer(chunk);
                })
                .map(all -> Optional.of(all.getBytes()))
                .onFailure(TooLarge.class)
                .recoverWithItem(() -> {
                    response.request().reset();
                    return Optional.empty();
                })
                .onFailure(e -> !(e instanceof StageException))
                .transform(e -> Failures.of(new Classification(
                        ErrorClass.TEMPORARY,
                        null,
                        "download of the rendered video broke off: "
                                + e.getClass().getSimpleName())));
    }

    private RequestOptions request(String url) {
        return new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .setFollowRedirects(true)
                .setIdleTimeout(idleTimeout.toMillis())
                .putHeader("User-Agent", USER_AGENT);
    }

    /** Where a redirect leads; {@code null} (no redirect: the 3xx itself is the answer) for one from HTTPS to HTTP. */
    private Future<RequestOptions> redirect(io.vertx.core.http.HttpClientResponse response) {
        String location = response.getHeader("Location");
        if (!REDIRECTS.contains(response.statusCode()) || location == null) {
            return null;
        }
        URI from = URI.create(response.request().absoluteURI());
        URI to = from.resolve(location);
        if ("https".equalsIgnoreCase(from.getScheme()) && !"https".equalsIgnoreCase(to.getScheme())) {
            return null;
        }
        return Future.succeededFuture(request(to.toString()));
    }

    private static long declaredLength(HttpClientResponse response) {
        try {
            String length = response.getHeader("Content-Length");
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** More bytes arrived than may be uploaded to Telegram. */
    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }
}
