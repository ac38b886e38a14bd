package com.neurocards.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.neurocards.contracts.ErrorClass;
import com.neurocards.messaging.consumer.StageException;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The result download's guards, against a small HTTP server: size cap, statuses, redirects, a silent server. */
class VideoDownloaderTest {

    private static final int MAX = 1000;

    private static Vertx vertx;
    private static HttpServer server;
    private static VideoDownloader downloader;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
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
                        case "/moved" -> response.setStatusCode(302)
                                .putHeader("Location", "/small")
                                .endAndForget();
                        case "/gone" -> response.setStatusCode(404).endAndForget("expired");
                        case "/busy" -> response.setStatusCode(503).endAndForget("busy");
                        case "/silent" -> {
                            // never answers
                        }
                        default -> response.setStatusCode(500).endAndForget();
                    }
                })
                .listenAndAwait(0, "127.0.0.1");
        downloader = new VideoDownloader(vertx, MAX, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        server.closeAndAwait();
        vertx.closeAndAwait();
    }

    private static Optional<byte[]> download(String path) {
        return downloader
                .download("http://127.0.0.1:" + server.actualPort() + path)
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    private static StageException failure(String path) {
        return catchThrowableOfType(StageException.class, () -> download(path));
    }

    @Test
    void aVideoUpToTheCapIsDownloaded() {
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
    void aRedirectIsFollowed() {
        assertThat(download("/moved"))
                .hasValueSatisfying(bytes -> assertThat(bytes).hasSize(10));
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
        StageException refused = catchThrowableOfType(
                StageException.class,
                () -> downloader.download("http://127.0.0.1:9/x").await().atMost(Duration.ofSeconds(10)));
        assertThat(refused.errorClass()).isEqualTo(ErrorClass.TEMPORARY);
        assertThat(refused.getMessage()).contains("KIE result host unreachable");
    }
}
