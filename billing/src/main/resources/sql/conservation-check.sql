-- Credits are conserved (docs/architecture.md#credits-are-conserved). Every row this query returns is a violation; none means all is well.
-- Used by billing's tests, by GET /internal/conservation, and by the chaos and end-to-end tools.
-- Tables are qualified with the billing schema.
SELECT 'balance differs from the sum of its entries' AS violation,
       a.user_id::text AS subject,
       'balance ' || a.balance || ', entries ' || COALESCE(SUM(e.amount), 0) AS detail
FROM billing.account a
LEFT JOIN billing.ledger_entry e ON e.user_id = a.user_id
GROUP BY a.user_id, a.balance
HAVING a.balance <> COALESCE(SUM(e.amount), 0)
UNION ALL
SELECT 'negative balance', user_id::text, 'balance ' || balance
FROM billing.account
WHERE balance < 0
UNION ALL
SELECT 'refunds exceed debits for a request', r.request_id,
       'debited ' || r.debited || ', refunded ' || r.refunded
FROM (SELECT request_id,
             -SUM(amount) FILTER (WHERE kind = 'DEBIT') AS debited,
             COALESCE(SUM(amount) FILTER (WHERE kind = 'REFUND'), 0) AS refunded
      FROM billing.ledger_entry
      WHERE request_id IS NOT NULL
      GROUP BY request_id) r
WHERE r.refunded > COALESCE(r.debited, 0)
UNION ALL
SELECT 'more than one debit for a request', request_id, count(*) || ' debits'
FROM billing.ledger_entry
WHERE kind = 'DEBIT'
GROUP BY request_id
HAVING count(*) > 1
UNION ALL
SELECT 'more than one refund for a job', job_id, count(*) || ' refunds'
FROM billing.ledger_entry
WHERE kind = 'REFUND'
GROUP BY job_id
HAVING count(*) > 1
UNION ALL
SELECT 'more than one welcome for a user', user_id::text, count(*) || ' welcomes'
FROM billing.ledger_entry
WHERE kind = 'WELCOME'
GROUP BY user_id
HAVING count(*) > 1;
