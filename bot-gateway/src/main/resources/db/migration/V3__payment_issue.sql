-- Payments that need a person: a successful_payment the gateway could not process (kept raw, as Telegram sent it,
-- because the money was taken), one whose amount or currency does not match its pack (not credited), and refunds
-- of charges that were never credited. The admins are told in Telegram; resolved_at is set by whoever settles it.
CREATE TABLE payment_issue (
    id          BIGSERIAL PRIMARY KEY,
    bot_id      BIGINT      NOT NULL,
    update_id   BIGINT      NOT NULL,
    kind        TEXT        NOT NULL CHECK (kind IN ('UNPROCESSABLE', 'AMOUNT_MISMATCH', 'UNREADABLE_INVOICE',
                                                     'REFUND_UNMATCHED')),
    user_id     BIGINT,
    charge_id   TEXT,
    detail      TEXT        NOT NULL,
    raw_update  TEXT        NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_at TIMESTAMPTZ,
    UNIQUE (bot_id, update_id)
);
CREATE INDEX payment_issue_open ON payment_issue (recorded_at) WHERE resolved_at IS NULL;

-- When Telegram refunded the charge (refunded_payment); the credits are taken back once, by billing.
ALTER TABLE payment ADD COLUMN refunded_at TIMESTAMPTZ;
