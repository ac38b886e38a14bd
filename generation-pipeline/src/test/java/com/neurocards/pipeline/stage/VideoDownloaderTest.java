package com.neurocards.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.consumer.StageException;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The result download's guards, against a small HTTP server on an allowed host (as the local KIE emulator is) and an
 * "internal service" on another port that is not allowed: where it may go (first URL and every redirect hop), the
 * size cap, statuses, a silent server and the total deadline.
 */
class VideoDownloaderTest {

    private static final int MAX = 1000;

    private static Vertx vertx;
    private static HttpServer server;
    private static HttpServer internal;
    private static final AtomicInteger internalHits = new AtomicInteger();
    private static VideoDownloader downloader;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        internal = vertx.createHttpServer()
                .requestHandler(request -> {
                    internalHits.incrementAndGet();
                    request.response().endAndForget("{\"granted\":100}");
                })
                .listenAndAwait(0, "127.0.0.1");
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    var response = request.response();
                    switch (request.path()) {
                        case "/small" -> response.endAndForget(Buffer.buffer(new byte[10]));
                        case "/at-the-cap" -> response.endAndForget(Buffer.buffer(new byte[MAX]));
                        case "/declared-big" -> response.putHeader("Content-Length", String.valueOf(MAX + 1))
                                .endAndForget(Buffer.buffer(new byte[MAX + 1]));
                        case "/streamed-big" -> {
                            response.setChunked(true);
                            for (int i = 0; i < 5; i++) {
                                response.writeAndForget(Buffer.buffer(new byte[300]));
                            }
                            response.endAndForget();
                        }
                        case "/moved" -> redirect(response, "/small");
                        case "/to-internal" -> redirect(
                                response, "http://127.0.0.1:" + internal.actualPort() + "/internal/grants");
                        case "/to-internal-https" -> redirect(
                                response, "https://127.0.0.1:" + internal.actualPort() + "/internal/grants");
                        case "/to-metadata" -> redirect(response, "http://169.254.169.254/latest/meta-data/");
                        case "/to-metadata-https" -> redirect(response, "https://169.254.169.254/latest/meta-data/");
                        case "/to-private-name" -> redirect(response, "https://billing.internal/internal/balances/1");
                        case "/loop" -> redirect(response, "/loop");
                        case "/gone" -> response.setStatusCode(404).endAndForget("expired");
                        case "/busy" -> response.setStatusCode(503).endAndForget("busy");
                        case "/silent" -> {
                            // never answers
                        }
                        case "/trickle" -> {
                            // a byte stream that never stalls long enough for the idle timeout, and never ends
                            response.setChunked(true);
                            vertx.setPeriodic(200, id -> {
                                if (response.closed() || response.ended()) {
                                    vertx.cancelTimer(id);
                                } else {
                                    response.writeAndForget(Buffer.buffer(new byte[10]));
                                }
                            });
                        }
                        default -> response.setStatusCode(500).endAndForget();
                    }
                })
                .listenAndAwait(0, "127.0.0.1");
        downloader = downloader(MAX, Duration.ofSeconds(30));
    }

    private static void redirect(io.vertx.mutiny.core.http.HttpServerResponse response, String location) {
        response.setStatusCode(302).putHeader("Location", location).endAndForget();
    }

    /** Allowed: the test server, and a closed port on the same machine; DNS: one internal name, else literals. */
    private static VideoDownloader downloader(long maxBytes, Duration deadline) {
        DownloadPolicy policy = new DownloadPolicy(
                List.of("127.0.0.1:" + server.actualPort(), "127.0.0.1:9"), VideoDownloaderTest::resolve);
        return new VideoDownloader(vertx, policy, maxBytes, Duration.ofSeconds(2), deadline, 5);
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.equals("billing.internal")) {
            return new InetAddress[] {InetAddress.getByName("10.0.3.7")};
        }
        if (host.endsWith(".invalid")) {
            throw new UnknownHostException(host);
        }
        return InetAddress.getAllByName(host); // literals only: no lookup leaves the machine
    }

    @AfterAll
    static void stop() {
        server.closeAndAwait();
        internal.closeAndAwait();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void resetCounts() {
        internalHits.set(0);
    }

    private static Optional<byte[]> download(String path) {
        return download(downloader, url(path));
    }

    private static Optional<byte[]> download(VideoDownloader with, String url) {
        return with.download(url).await().atMost(Duration.ofSeconds(10));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    private static StageException failure(String path) {
        return catchThrowableOfType(StageException.class, () -> download(path));
    }

    private static StageException failureOf(String url) {
        return catchThrowableOfType(StageException.class, () -> download(downloader, url));
    }

    @Test
    void aVideoUpToTheCapIsDownloadedFromAnAllowedHost() {
        assertThat(download("/small"))
                .hasValueSatisfying(bytes -> assertThat(bytes).hasSize(10));
        assertThat(download("/at-the-cap"))
                .hasValueSatisfying(bytes -> assertThat(bytes).hasSize(MAX));
    }

    @Test
    void aVideoOverTheCapIsNoneWhetherDeclaredOrStreamed() {
        assertThat(download("/declared-big")).isEmpty();
        assertThat(download("/streamed-big")).isEmpty();
    }

    @Test
    void aRedirectWithinTheAllowedHostIsFollowed() {
        assertThat(download("/moved"))
                .hasValueSatisfying(bytes -> assertThat(bytes).hasSize(10));
    }

    @Test
    void plainHttpToAHostThatIsNotAllowedIsRefusedWithoutAConnection() {
        StageException refused = failureOf("http://127.0.0.1:" + internal.actualPort() + "/internal/grants");
        assertThat(refused).isInstanceOf(DownloadPolicy.Refused.class);
        assertThat(refused.errorClass()).isEqualTo(ErrorClass.UNKNOWN);
        assertThat(refused.retryable()).isFalse();
        assertThat(internalHits).hasValue(0);
    }

    @Test
    void httpsToALoopbackServiceIsRefusedWithoutAConnection() {
        StageException refused = failureOf("https://127.0.0.1:" + internal.actualPort() + "/internal/grants");
        assertThat(refused).isInstanceOf(DownloadPolicy.Refused.class).hasMessageContaining("loopback");
        assertThat(internalHits).hasValue(0);
    }

    @Test
    void everyRedirectHopIsCheckedAgain() {
        for (String hop : List.of("/to-internal", "/to-internal-https", "/to-metadata", "/to-metadata-https")) {
            assertThat(failure(hop)).as(hop).isInstanceOf(DownloadPolicy.Refused.class);
        }
        assertThat(failure("/to-metadata-https")).hasMessageContaining("169.254.169.254");
        assertThat(failure("/to-private-name"))
                .isInstanceOf(DownloadPolicy.Refused.class)
                .hasMessageContaining("billing.internal")
                .hasMessageContaining("private");
        assertThat(internalHits).as("the internal service was never reached").hasValue(0);
    }

    @Test
    void aRedirectChainLongerThanTheLimitIsRefused() {
        assertThat(failure("/loop"))
                .isInstanceOf(DownloadPolicy.Refused.class)
                .hasMessageContaining("more than 5 redirects");
    }

    @Test
    void aBodyStillComingAfterTheDeadlineFailsAndIsRetried() {
        VideoDownloader quick = downloader(1_000_000, Duration.ofMillis(1500));
        long started = System.nanoTime();
        StageException late = catchThrowableOfType(StageException.class, () -> download(quick, url("/trickle")));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(late.errorClass()).isEqualTo(ErrorClass.TEMPORARY);
        assertThat(late).hasMessageContaining("deadline");
    }

    @Test
    void aVideoThatIsGoneIsNotRetriedButABusyHostIs() {
        StageException gone = failure("/gone");
        assertThat(gone.errorClass()).isEqualTo(ErrorClass.UNKNOWN);
        assertThat(gone.providerCode()).isEqualTo(404);
        assertThat(gone.retryable()).isFalse();
        StageException busy = failure("/busy");
        assertThat(busy.errorClass()).isEqualTo(ErrorClass.TEMPORARY);
        assertThat(busy.retryable()).isTrue();
    }

    @Test
    void aSilentHostOrNoHostIsTemporary() {
        assertThat(failure("/silent").errorClass()).isEqualTo(ErrorClass.TEMPORARY);
        StageException refused = failureOf("http://127.0.0.1:9/x");
        assertThat(refused.errorClass()).isEqualTo(ErrorClass.TEMPORARY);
        assertThat(refused.getMessage()).contains("KIE result host unreachable");
        StageException unknown = failureOf("https://no-such-host.invalid/x");
        assertThat(unknown.errorClass()).isEqualTo(ErrorClass.TEMPORARY);
        assertThat(unknown).isNotInstanceOf(DownloadPolicy.Refused.class);
    }
}
