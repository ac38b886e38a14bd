-- Messaging tables every service has in its own schema (the Flyway default schema of the service).
-- Versions below 1 are reserved for this shared module, so they never collide with a service's own migrations.

-- Transactional outbox: rows written in the same transaction as the state change they announce,
-- published by the relay with publisher confirms, then marked.
CREATE TABLE outbox_message (
    id           BIGSERIAL PRIMARY KEY,
    message_id   UUID        NOT NULL UNIQUE,
    exchange     TEXT        NOT NULL,
    routing_key  TEXT        NOT NULL,
    message_type TEXT        NOT NULL,
    headers      JSONB       NOT NULL DEFAULT '{}'::jsonb,
    body         TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_message_unpublished ON outbox_message (id) WHERE published_at IS NULL;
CREATE INDEX outbox_message_published_at ON outbox_message (published_at) WHERE published_at IS NOT NULL;

-- Idempotent consumer: a message's effects and its row here commit together, so a redelivery finds the row.
CREATE TABLE processed_message (
    consumer     TEXT        NOT NULL,
    message_id   UUID        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX processed_message_processed_at ON processed_message (processed_at);
