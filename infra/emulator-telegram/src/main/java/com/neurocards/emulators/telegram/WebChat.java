package com.neurocards.emulators.telegram;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser chat page: plain HTML, CSS and one ES module from the classpath folder {@code webchat/}, served at
 * {@code /chat/} on the emulator's own port ({@code /} and {@code /chat} redirect there). The page talks only to the
 * control API; nothing here changes the Bot API.
 */
final class WebChat {

    static final String PATH = "/chat/";

    private WebChat() {}

    static void mount(Router router) {
        router.route(HttpMethod.GET, "/").handler(ctx -> ctx.redirect(PATH));
        // A plain "/chat" route would match "/chat/" too (Vert.x forgives a trailing slash): exact regex instead.
        router.routeWithRegex(HttpMethod.GET, "^/chat$").handler(ctx -> ctx.redirect(PATH));
        router.route("/chat/*")
                .handler(ctx -> {
                    // The page is small and changes with the emulator: let the browser revalidate every time.
                    ctx.response().putHeader("Cache-Control", "no-cache");
                    ctx.response().putHeader("X-Content-Type-Options", "nosniff");
                    ctx.next();
                })
                .handler(StaticHandler.create("webchat")
                        .setCachingEnabled(false)
                        .setDirectoryListing(false)
                        .setIndexPage("index.html")
                        .setDefaultContentEncoding("UTF-8"));
    }
}
