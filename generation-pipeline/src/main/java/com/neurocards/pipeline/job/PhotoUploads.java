package com.neurocards.pipeline.job;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Product photos already on KIE's upload host, by Telegram's stable {@code file_unique_id}. */
@ApplicationScoped
public class PhotoUploads {

    private final Pool pool;

    public PhotoUploads(Pool pool) {
        this.pool = pool;
    }

    /** The KIE URL of this photo if it was uploaded less than {@code reuse} ago. */
    public Uni<Optional<String>> recent(String photoUniqueId, Duration reuse) {
        return pool.preparedQuery(
                        "SELECT download_url FROM pipeline.photo_upload WHERE photo_unique_id = $1 AND uploaded_at > $2")
                .execute(Tuple.of(photoUniqueId, OffsetDateTime.now().minus(reuse)))
                .map(rows -> rows.size() == 0
                        ? Optional.<String>empty()
                        : Optional.of(rows.iterator().next().getString("download_url")));
    }

    public Uni<Void> remember(String photoUniqueId, String downloadUrl) {
        return pool.preparedQuery(
                        "INSERT INTO pipeline.photo_upload (photo_unique_id, download_url) VALUES ($1, $2) "
                                + "ON CONFLICT (photo_unique_id) DO UPDATE SET download_url = EXCLUDED.download_url, uploaded_at = now()")
                .execute(Tuple.of(photoUniqueId, downloadUrl))
                .replaceWithVoid();
    }
}
