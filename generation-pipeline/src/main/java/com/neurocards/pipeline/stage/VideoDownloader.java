package com.neurocards.pipeline.stage;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.consumer.StageException;
import com.neurocards.pipeline.error.Classification;
import com.neurocards.pipeline.error.ErrorClassifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Downloads a rendered video from KIE's result host right away (result URLs expire), without blocking a thread.
 * Where it may download from is the {@link DownloadPolicy}'s to say, for the first URL and for every redirect hop
 * (followed here, at most {@code maxRedirects}, never by the HTTP client on its own); a refused URL fails with
 * {@link DownloadPolicy.Refused}, never retried. At most {@code maxBytes} are read — a bigger video (by its
 * {@code Content-Length}, or once more bytes than that arrived) is empty, for the caller to send a link instead — and
 * the connection is dropped at once. A connection or body that stays silent for {@code idleTimeout} fails, and so
 * does a download (resolution, redirects and body together) still running after {@code deadline}: both are retried.
 */
public class VideoDownloader {

    private static final String USER_AGENT = "Mozilla/5.0 (compatible; NeuroCards/1.0)";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final HttpClient http;
    private final DownloadPolicy policy;
    private final long maxBytes;
    private final Duration idleTimeout;
    private final Duration deadline;
    private final int maxRedirects;

    public VideoDownloader(
            Vertx vertx,
            DownloadPolicy policy,
            long maxBytes,
            Duration idleTimeout,
            Duration deadline,
            int maxRedirects) {
        this.policy = policy;
        this.maxBytes = maxBytes;
        this.idleTimeout = idleTimeout;
        this.deadline = deadline;
        this.maxRedirects = maxRedirects;
        HttpClientOptions options = new HttpClientOptions().setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        this.http = HttpClient.newInstance(
                vertx.getDelegate().httpClientBuilder().with(options).build());
    }

    /**
     * The video's bytes, or empty when it is larger than {@code maxBytes}; a classified {@link StageException} else
     * ({@link DownloadPolicy.Refused} for a URL that may not be downloaded).
     */
    public Uni<Optional<byte[]>> download(String videoUrl) {
        InFlight inFlight = new InFlight();
        return fetch(videoUrl, 0, inFlight)
                .onFailure()
                .invoke(inFlight::abort)
                .onCancellation()
                .invoke(inFlight::abort)
                .ifNoItem()
                .after(deadline)
                .failWith(() -> Failures.of(new Classification(
                        ErrorClass.TEMPORARY,
                        null,
                        "download of the rendered video took longer than its deadline of "
                                + deadline.toMillis() / 1000.0 + " s")));
    }

    private Uni<Optional<byte[]>> fetch(String url, int redirects, InFlight inFlight) {
        return check(url).chain(target -> http.request(request(target))
                .invoke(inFlight::track)
                .chain(request -> request.send())
                .onFailure(e -> !(e instanceof StageException))
                .transform(e -> Failures.of(ErrorClassifier.network("KIE result host", e)))
                .chain(response -> REDIRECTS.contains(response.statusCode())
                        ? redirect(target, response, redirects, inFlight)
                        : body(response)));
    }

    /** The policy's verdict on one URL, from a worker thread: resolving a name blocks. */
    private Uni<DownloadPolicy.Target> check(String url) {
        return Uni.createFrom()
                .item(() -> {
                    try {
                        return policy.check(url);
                    } catch (UnknownHostException e) {
                        throw Failures.of(ErrorClassifier.network("KIE result host", e));
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<Optional<byte[]>> redirect(
            DownloadPolicy.Target from, HttpClientResponse response, int redirects, InFlight inFlight) {
        String location = response.getHeader("Location");
        drop(response);
        if (location == null || location.isBlank()) {
            return Uni.createFrom()
                    .failure(new StageException(
                            ErrorClass.UNKNOWN,
                            response.statusCode(),
                            "the KIE result host answered " + response.statusCode() + " without a Location"));
        }
        if (redirects >= maxRedirects) {
            return Uni.createFrom().failure(new DownloadPolicy.Refused("more than " + maxRedirects + " redirects"));
        }
        URI next;
        try {
            next = from.uri().resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Uni.createFrom().failure(new DownloadPolicy.Refused("a redirect to an invalid URL"));
        }
        return fetch(next.toString(), redirects + 1, inFlight);
    }

    private Uni<Optional<byte[]>> body(HttpClientResponse response) {
        int status = response.statusCode();
        if (status != 200) {
            drop(response);
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
            drop(response);
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
                    drop(response);
                    return Optional.empty();
                })
                .onFailure(e -> !(e instanceof StageException))
                .transform(e -> Failures.of(new Classification(
                        ErrorClass.TEMPORARY,
                        null,
                        "download of the rendered video broke off: "
                                + e.getClass().getSimpleName())));
    }

    private RequestOptions request(DownloadPolicy.Target target) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(target.uri().toString())
                .setFollowRedirects(false)
                .setIdleTimeout(idleTimeout.toMillis())
                .putHeader("User-Agent", USER_AGENT);
        if (target.address() != null) {
            // to the address the policy checked; the URL's host still names the server (Host header, TLS SNI and
            // certificate check), but is not resolved again
            options.setServer(SocketAddress.inetSocketAddress(target.port(), target.address()));
        }
        return options;
    }

    /** Drops the connection under an answer that is not read (a redirect, an error, a video over the cap). */
    private static void drop(HttpClientResponse response) {
        // the reset fails the unread response: that is the point, not an error for Vert.x to log
        response.exceptionHandler(ignored -> {});
        response.request().reset();
    }

    private static long declaredLength(HttpClientResponse response) {
        try {
            String length = response.getHeader("Content-Length");
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The request of the hop under way, so a deadline or a failure can drop its connection. */
    private static final class InFlight {
        private volatile HttpClientRequest request;

        void track(HttpClientRequest current) {
            request = current;
        }

        void abort() {
            HttpClientRequest current = request;
            if (current != null) {
                current.reset();
            }
        }
    }

    /** More bytes arrived than may be uploaded to Telegram. */
    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }
}
