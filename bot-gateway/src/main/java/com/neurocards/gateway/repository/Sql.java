package com.neurocards.gateway.repository;

import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;

/** Small helpers for the repositories' SQL. */
final class Sql {

    private Sql() {}

    /** A tuple that may hold nulls. */
    static Tuple params(Object... values) {
        return Tuple.from(Arrays.asList(values));
    }
}
