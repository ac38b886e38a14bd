package com.neurocards.emulators;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The lifecycle every emulator shares: an HTTP server on its own Vert.x instance, started on a given port
 * (0 = any free port), stopped with {@link #close()}. Subclasses only add routes.
 */
public abstract class HttpEmulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HttpEmulator.class);

    private final String name;
    private Vertx vertx;
    private HttpServer server;

    protected HttpEmulator(String name) {
        this.name = name;
    }

    /** Adds this emulator's routes. Called once, before the server listens. */
    protected abstract void routes(Router router, Vertx vertx);

    /** Starts listening on {@code port} (0 = any free port) on the loopback interface; blocks until it does. */
    public synchronized HttpEmulator start(int port) {
        return start("127.0.0.1", port);
    }

    /** Starts listening on {@code host:port}; blocks until it does. */
    public synchronized HttpEmulator start(String host, int port) {
        if (server != null) {
            throw new IllegalStateException(name + " is already running on port " + server.actualPort());
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
        Router router = Router.router(vertx);
        routes(router, vertx);
        try {
            // HTTP/1.1 only: the services they stand in for are not reached over cleartext HTTP/2 (h2c) either.
            server = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(host)
                            .setPort(port)
                            .setHttp2ClearTextEnabled(false)
                            .setCompressionSupported(false)
                            .setMaxFormAttributeSize(-1))
                    .requestHandler(router)
                    .listen()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            vertx = null;
            throw new IllegalStateException(name + " could not listen on " + host + ":" + port, e);
        }
        LOG.infof("%s emulator listening on %s", name, baseUrl());
        return this;
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return server.actualPort();
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String name() {
        return name;
    }

    protected Vertx vertx() {
        return vertx;
    }

    @Override
    public synchronized void close() {
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warnf("%s emulator did not stop cleanly: %s", name, e.toString());
            }
            vertx = null;
            server = null;
        }
    }
}
