package com.neurocards.messaging.consumer;

import com.rabbitmq.client.ShutdownSignalException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Recognises our own infrastructure hiccups (database restarting, connection dropped, pool exhausted, a
 * serialization conflict). Such a failure says nothing about the message, so it is retried without using up the
 * message's attempts: a database restart must not fail anybody's job.
 */
final class TransientFailures {

    /**
     * What the reactive PostgreSQL client fails a query with (a bare {@code NoStackTraceThrowable}, no SQL state) when the
     * connection it was given had been ended by the server meanwhile, as after {@code pg_terminate_backend} or a
     * failover; found by the chaos run (docs/reliability.md).
     */
    static final String CONNECTION_NOT_ACTIVE = "Connection is not active now";

    private TransientFailures() {}

    static boolean isInfrastructure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StageException) {
                return false; // a stage already said what this is
            }
            if (t instanceof PgException pg) {
                return isTransientSqlState(pg.getSqlState());
            }
            if (t instanceof ClosedConnectionException
                    || t instanceof ConnectException
                    || t instanceof SocketException
                    || t instanceof TimeoutException
                    || t instanceof ShutdownSignalException
                    || t instanceof ClosedChannelException) {
                return true;
            }
            if (t instanceof io.smallrye.mutiny.TimeoutException) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().startsWith(CONNECTION_NOT_ACTIVE)) {
                return true; // the reactive client's word for a connection the database ended under us
            }
            if (t instanceof IOException
                    && t.getMessage() != null
                    && t.getMessage().contains("confirm")) {
                return true; // the broker did not confirm a publish
            }
        }
        return false;
    }

    /** Connection exceptions (08), operator intervention (57P), insufficient resources (53), conflicts to retry (40). */
    static boolean isTransientSqlState(String state) {
        return state != null
                && (state.startsWith("08")
                        || state.startsWith("57P")
                        || state.startsWith("53")
                        || state.equals("40001")
                        || state.equals("40P01"));
    }
}
