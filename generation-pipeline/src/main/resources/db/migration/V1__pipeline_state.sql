-- Job state of the generation pipeline (schema pipeline). Every step is a timestamp, so a stage can tell a duplicate
-- from new work and the progress message can be rendered from here.

CREATE TABLE job (
    job_id              TEXT PRIMARY KEY,
    request_id          TEXT        NOT NULL,
    job_index           INT         NOT NULL,
    total               INT         NOT NULL,
    user_id             BIGINT      NOT NULL,
    chat_id             BIGINT      NOT NULL,
    locale              TEXT        NOT NULL,
    photo_file_id       TEXT,
    photo_unique_id     TEXT,
    status              TEXT        NOT NULL,   -- PROMPTED, SUBMITTED, READY, DELIVERED, UNDELIVERABLE, FAILED
    prompt              TEXT        NOT NULL,
    prompt_source       TEXT        NOT NULL,
    model               TEXT        NOT NULL,
    aspect_ratio        TEXT        NOT NULL,
    kie_task_id         TEXT UNIQUE,
    kie_key_id          TEXT,                   -- fingerprint of the key that created the task, never the key
    render_attempts     INT         NOT NULL DEFAULT 0,
    poll_count          INT         NOT NULL DEFAULT 0,
    deadline            TIMESTAMPTZ,
    video_url           TEXT,
    resolution          TEXT,
    telegram_message_id BIGINT,
    telegram_file_id    TEXT,
    delivery_mode       TEXT,
    failed_stage        TEXT,
    error_class         TEXT,
    provider_code       INT,
    failure_reason      TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    submitted_at        TIMESTAMPTZ,
    ready_at            TIMESTAMPTZ,
    delivered_at        TIMESTAMPTZ,
    failed_at           TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX job_request ON job (request_id);
CREATE INDEX job_rendering ON job (deadline) WHERE status = 'SUBMITTED';

-- A product photo uploaded to KIE once, reused by every job of the request (and "make more" requests).
CREATE TABLE photo_upload (
    photo_unique_id TEXT PRIMARY KEY,
    download_url    TEXT        NOT NULL,
    uploaded_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The one "generation started" message of a request, edited in place as its jobs progress.
CREATE TABLE progress_message (
    request_id  TEXT PRIMARY KEY,
    chat_id     BIGINT      NOT NULL,
    locale      TEXT        NOT NULL,
    total       INT         NOT NULL,
    message_id  BIGINT,
    last_text   TEXT,
    retrying    BOOLEAN     NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
