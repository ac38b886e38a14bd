-- What the probe stage records per event: when it was written and when its effect committed.
CREATE TABLE hop (
    message_id   UUID        PRIMARY KEY,
    written_at   TIMESTAMPTZ NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
