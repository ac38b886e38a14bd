package com.neurocards.telegram;

import com.neurocards.testing.LocalServices;
import com.neurocards.testing.TestDatabase;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A test database of its own with the {@code telegram} schema migrated, and "instances" of a service on it: each a
 * {@link SharedChatThrottle} on a reactive pool of its own, as separate processes would have.
 */
final class SpacingDatabase implements AutoCloseable {

    final TestDatabase database = TestDatabase.create();
    private final Vertx vertx = Vertx.vertx();
    private final List<Pool> pools = new ArrayList<>();

    SpacingDatabase migrated() {
        TelegramSchema.migrate(dataSource());
        return this;
    }

    PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(database.jdbcUrl());
        dataSource.setUser(LocalServices.dbUser());
        dataSource.setPassword(LocalServices.dbPassword());
        return dataSource;
    }

    /** A reactive pool of its own, as one more process would have; closed with this. */
    Pool pool() {
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(2))
                .connectingTo(new PgConnectOptions()
                        .setHost(LocalServices.dbHost())
                        .setPort(LocalServices.dbPort())
                        .setDatabase(database.name())
                        .setUser(LocalServices.dbUser())
                        .setPassword(LocalServices.dbPassword()))
                .using(vertx)
                .build();
        pools.add(pool);
        return pool;
    }

    /** One instance's shared throttle for {@code botId}, on a pool of its own. */
    SharedChatThrottle instance(long botId, SendSpacing spacing) {
        return new SharedChatThrottle(pool(), botId, spacing, new ChatThrottle(spacing, Clock.systemUTC()));
    }

    @Override
    public void close() {
        pools.forEach(pool -> pool.close().await().indefinitely());
        vertx.close().await().indefinitely();
        database.close();
    }
}
