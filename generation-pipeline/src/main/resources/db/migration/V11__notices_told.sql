-- The notices the notify stage sent, by the event that asked for them (a refund, a rejection, a top-up): written the
-- moment Telegram answers, on its own, before the event's transaction commits. A retry of the event after that
-- transaction failed (its database connection dropped) or after a crash finds the notice told and does not send it
-- again (NoticesTold). Kept as long as the processed-message rows.
CREATE TABLE notice_told (
    event_id            UUID        PRIMARY KEY,
    telegram_message_id BIGINT,
    told_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX notice_told_told_at ON notice_told (told_at);
