package com.neurocards.messaging.observe;

import io.smallrye.mutiny.infrastructure.CallbackDecorator;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Carries the {@link JobContext} into every Mutiny callback: a callback assembled while a message is handled runs
 * with that message's request id, job id and trace, on whatever thread it ends up on (a worker after
 * {@code runSubscriptionOn}, the database client's event loop, a retry's thread). Without it, only the lines logged
 * synchronously in the consumer thread carried the ids. Registered with Mutiny through {@code META-INF/services}.
 */
public class JobContextDecorator implements CallbackDecorator {

    /**
     * Makes sure Mutiny uses this decorator. Mutiny reads its decorators once, through the class loader that happened
     * to be current when it was first used, which under Quarkus need not be the application's: read them again
     * through ours (this also finds every other registered decorator).
     */
    public static void install() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JobContextDecorator.class.getClassLoader());
        try {
            Infrastructure.reloadCallbackDecorators();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public <T> Supplier<T> decorate(Supplier<T> supplier) {
        JobContext context = JobContext.current();
        if (context == null) {
            return supplier;
        }
        return () -> {
            try (JobContext.Restorer ignored = context.apply()) {
                return supplier.get();
            }
        };
    }

    @Override
    public <T> Consumer<T> decorate(Consumer<T> consumer) {
        JobContext context = JobContext.current();
        if (context == null) {
            return consumer;
        }
        return item -> {
            try (JobContext.Restorer ignored = context.apply()) {
                consumer.accept(item);
            }
        };
    }

    @Override
    public LongConsumer decorate(LongConsumer consumer) {
        JobContext context = JobContext.current();
        if (context == null) {
            return consumer;
        }
        return value -> {
            try (JobContext.Restorer ignored = context.apply()) {
                consumer.accept(value);
            }
        };
    }

    @Override
    public Runnable decorate(Runnable runnable) {
        JobContext context = JobContext.current();
        if (context == null) {
            return runnable;
        }
        return () -> {
            try (JobContext.Restorer ignored = context.apply()) {
                runnable.run();
            }
        };
    }

    @Override
    public <V> Callable<V> decorate(Callable<V> callable) {
        JobContext context = JobContext.current();
        if (context == null) {
            return callable;
        }
        return () -> {
            try (JobContext.Restorer ignored = context.apply()) {
                return callable.call();
            }
        };
    }

    @Override
    public <T1, T2> BiConsumer<T1, T2> decorate(BiConsumer<T1, T2> consumer) {
        JobContext context = JobContext.current();
        if (context == null) {
            return consumer;
        }
        return (a, b) -> {
            try (JobContext.Restorer ignored = context.apply()) {
                consumer.accept(a, b);
            }
        };
    }

    @Override
    public <I, O> Function<I, O> decorate(Function<I, O> function) {
        JobContext context = JobContext.current();
        if (context == null) {
            return function;
        }
        return item -> {
            try (JobContext.Restorer ignored = context.apply()) {
                return function.apply(item);
            }
        };
    }

    @Override
    public <I1, I2, O> BiFunction<I1, I2, O> decorate(BiFunction<I1, I2, O> function) {
        JobContext context = JobContext.current();
        if (context == null) {
            return function;
        }
        return (a, b) -> {
            try (JobContext.Restorer ignored = context.apply()) {
                return function.apply(a, b);
            }
        };
    }

    @Override
    public <T> BinaryOperator<T> decorate(BinaryOperator<T> operator) {
        JobContext context = JobContext.current();
        if (context == null) {
            return operator;
        }
        return (a, b) -> {
            try (JobContext.Restorer ignored = context.apply()) {
                return operator.apply(a, b);
            }
        };
    }

    @Override
    public BooleanSupplier decorate(BooleanSupplier supplier) {
        JobContext context = JobContext.current();
        if (context == null) {
            return supplier;
        }
        return () -> {
            try (JobContext.Restorer ignored = context.apply()) {
                return supplier.getAsBoolean();
            }
        };
    }

    @Override
    public <T> Predicate<T> decorate(Predicate<T> predicate) {
        JobContext context = JobContext.current();
        if (context == null) {
            return predicate;
        }
        return item -> {
            try (JobContext.Restorer ignored = context.apply()) {
                return predicate.test(item);
            }
        };
    }
}
