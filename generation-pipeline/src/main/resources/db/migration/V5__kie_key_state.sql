-- The KIE keys' shared state, for every pipeline instance at once (docs/decisions/0015-kie-shared-key-state.md). Keys
-- appear only by fingerprint (first 12 hex of SHA-256), never the key itself.

-- One row per key: the row lock serialises the creates of that key across instances; the columns say why the key may
-- not create now.
CREATE TABLE kie_key (
    key_id            TEXT PRIMARY KEY,
    cool_until        TIMESTAMPTZ NOT NULL DEFAULT 'epoch',  -- a real 429 from KIE: left alone until then
    disabled_until    TIMESTAMPTZ NOT NULL DEFAULT 'epoch',  -- refused with 401 (AUTH) or 433 (key cap)
    disabled_class    TEXT,                                      -- AUTH or BILLING, for the jobs that find no key
    -- set aside because its balance could not pay a request: back as soon as a balance of at least needed_credits is
    -- seen (no timer)
    unfunded          BOOLEAN     NOT NULL DEFAULT false,
    needed_credits    BIGINT,
    balance           BIGINT,
    balance_at        TIMESTAMPTZ,
    -- when an instance last asked KIE for the balance of this set-aside key (one instance per interval asks)
    balance_checked_at TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The creates of each key inside its current rate window; rows older than the window are deleted by the next create
-- of that key.
CREATE TABLE kie_create (
    id         BIGSERIAL   PRIMARY KEY,
    key_id     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX kie_create_key_time ON kie_create (key_id, created_at);

-- Whether no KIE key can pay right now: flipped by exactly one instance per crossing, which then alerts the admins.
CREATE TABLE kie_funding (
    id           INT         PRIMARY KEY CHECK (id = 1),
    none_can_pay BOOLEAN     NOT NULL,
    changed_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO kie_funding (id, none_can_pay) VALUES (1, false);

-- When a job first waited for the KIE balance to be topped up (the seller is told once).
ALTER TABLE job ADD COLUMN funding_wait_since TIMESTAMPTZ;
