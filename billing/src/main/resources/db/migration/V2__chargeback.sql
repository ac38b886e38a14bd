-- A Stars payment Telegram refunded takes its credits back: a CHARGEBACK entry (negative), once per charge id
-- (key chargeback:<chargeId>), never below zero. What the balance could not cover is kept in ignored_event.
ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_kind_check;
ALTER TABLE ledger_entry ADD CONSTRAINT ledger_entry_kind_check
    CHECK (kind IN ('WELCOME', 'DEBIT', 'REFUND', 'TOPUP', 'GRANT', 'CHARGEBACK'));
ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_check;
ALTER TABLE ledger_entry ADD CONSTRAINT ledger_entry_check
    CHECK ((kind IN ('DEBIT', 'CHARGEBACK') AND amount < 0)
        OR (kind IN ('REFUND', 'TOPUP', 'WELCOME') AND amount > 0)
        OR (kind = 'GRANT' AND amount <> 0));
