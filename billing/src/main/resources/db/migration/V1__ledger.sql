-- The credit ledger. Every change of a balance is an append-only entry with a unique idempotency key;
-- the account row holds the running balance, which the database itself keeps from ever going negative.

CREATE TABLE account (
    user_id    BIGINT      PRIMARY KEY,
    chat_id    BIGINT,
    locale     TEXT,
    balance    BIGINT      NOT NULL CHECK (balance >= 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE ledger_entry (
    id              BIGSERIAL   PRIMARY KEY,
    user_id         BIGINT      NOT NULL REFERENCES account (user_id),
    kind            TEXT        NOT NULL CHECK (kind IN ('WELCOME', 'DEBIT', 'REFUND', 'TOPUP', 'GRANT')),
    -- signed: a debit is negative, a refund, top-up or welcome positive, a grant either
    amount          BIGINT      NOT NULL,
    balance_after   BIGINT      NOT NULL CHECK (balance_after >= 0),
    request_id      TEXT,
    job_id          TEXT,
    charge_id       TEXT,
    reason          TEXT,
    idempotency_key TEXT        NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'DEBIT' AND amount < 0)
        OR (kind IN ('REFUND', 'TOPUP', 'WELCOME') AND amount > 0)
        OR (kind = 'GRANT' AND amount <> 0))
);
CREATE INDEX ledger_entry_user ON ledger_entry (user_id, id);
CREATE INDEX ledger_entry_request ON ledger_entry (request_id) WHERE request_id IS NOT NULL;

-- The ledger is append-only: corrections are new entries, never edits.
CREATE FUNCTION ledger_entry_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only (% on entry %)', TG_OP, OLD.id;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_is_append_only();

-- One outcome per request: funded (with its debit) or rejected (nothing debited).
CREATE TABLE request_decision (
    request_id TEXT        PRIMARY KEY,
    user_id    BIGINT      NOT NULL,
    outcome    TEXT        NOT NULL CHECK (outcome IN ('FUNDED', 'REJECTED')),
    amount     BIGINT      NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What each funded job cost, so that a failure refunds exactly that, once.
CREATE TABLE funded_job (
    job_id      TEXT        PRIMARY KEY,
    request_id  TEXT        NOT NULL REFERENCES request_decision (request_id),
    user_id     BIGINT      NOT NULL,
    price       BIGINT      NOT NULL CHECK (price > 0),
    refunded_at TIMESTAMPTZ
);
CREATE INDEX funded_job_request ON funded_job (request_id);

-- Events that asked for a change billing refused to make, kept for support and audits.
CREATE TABLE ignored_event (
    id          BIGSERIAL   PRIMARY KEY,
    message_id  UUID        NOT NULL,
    event_type  TEXT        NOT NULL,
    reference   TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
