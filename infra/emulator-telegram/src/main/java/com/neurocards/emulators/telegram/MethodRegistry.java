package com.neurocards.emulators.telegram;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The Bot API methods by name, found case-insensitively (telegrambots calls "/getupdates", "/deletewebhook"). */
final class MethodRegistry {

    record Entry(String name, BotMethod method) {}

    private final Map<String, Entry> methods = new HashMap<>();

    void add(String name, BotMethod method) {
        methods.put(name.toLowerCase(Locale.ROOT), new Entry(name, method));
    }

    /** A method that answers at once; ApiExceptions it throws become the error answer. */
    void sync(String name, Function<ApiParams, Object> method) {
        add(name, params -> {
            try {
                return Future.succeededFuture(method.apply(params));
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        });
    }

    Entry find(String name) {
        return methods.get(name.toLowerCase(Locale.ROOT));
    }
}
