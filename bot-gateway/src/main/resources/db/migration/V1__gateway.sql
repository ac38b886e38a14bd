-- The gateway's own state (schema gateway): conversations and drafts, the generations users started and what
-- became of their videos (a view fed by gateway.updates), payments, and the Telegram updates already handled.

-- Every Telegram update is recorded here in the same transaction as its effects, so a redelivered update
-- (long-polling offset lost, webhook retried) finds its row and changes nothing.
CREATE TABLE telegram_update (
    update_id   BIGINT PRIMARY KEY,
    user_id     BIGINT,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX telegram_update_received_at ON telegram_update (received_at);

-- One row per user: the step and the open draft. Buttons carry the draft number; draft_counter only grows.
CREATE TABLE conversation (
    user_id              BIGINT PRIMARY KEY,
    chat_id              BIGINT      NOT NULL,
    language             TEXT        NOT NULL,
    step                 TEXT        NOT NULL,
    draft_counter        BIGINT      NOT NULL DEFAULT 0,
    last_confirmed_draft BIGINT      NOT NULL DEFAULT 0,
    draft_number         BIGINT,
    photo_file_id        TEXT,
    photo_unique_id      TEXT,
    photo_kind           TEXT,
    description          TEXT,
    template             TEXT,
    wishes               TEXT,
    custom_prompt        TEXT,
    video_count          INT         NOT NULL DEFAULT 0,
    editing              BOOLEAN     NOT NULL DEFAULT FALSE,
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A confirmed draft. The unique (user_id, draft_number) is the last guard against starting one draft twice.
CREATE TABLE generation (
    request_id      TEXT PRIMARY KEY,
    user_id         BIGINT      NOT NULL,
    chat_id         BIGINT      NOT NULL,
    draft_number    BIGINT,                 -- null for a request this gateway learnt of only from its events
    language        TEXT        NOT NULL,
    photo_file_id   TEXT        NOT NULL,
    photo_unique_id TEXT,
    photo_kind      TEXT        NOT NULL,
    description     TEXT        NOT NULL,
    template        TEXT        NOT NULL,
    wishes          TEXT,
    custom_prompt   TEXT,
    video_count     INT         NOT NULL,
    status          TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (user_id, draft_number)
);
CREATE INDEX generation_user_created ON generation (user_id, created_at DESC);

-- One video of a generation, as the pipeline and billing reported it.
CREATE TABLE job (
    job_id           TEXT PRIMARY KEY,
    request_id       TEXT        NOT NULL,
    user_id          BIGINT      NOT NULL,
    job_index        INT         NOT NULL,
    status           TEXT        NOT NULL,
    telegram_file_id TEXT,
    delivery_mode    TEXT,
    error_class      TEXT,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX job_request ON job (request_id);

-- The last balance billing reported (answers and events), shown when billing does not answer in time.
CREATE TABLE known_balance (
    user_id    BIGINT PRIMARY KEY,
    balance    BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Telegram Stars payments, once per charge id.
CREATE TABLE payment (
    charge_id  TEXT PRIMARY KEY,
    user_id    BIGINT      NOT NULL,
    pack_id    TEXT        NOT NULL,
    stars      BIGINT      NOT NULL,
    credits    BIGINT      NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
