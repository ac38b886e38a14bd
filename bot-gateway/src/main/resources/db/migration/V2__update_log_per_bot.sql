-- Telegram numbers updates per bot: a new bot token on this database starts again from ids the previous bot used.
-- The handled-updates key becomes (bot id, update id); the bot id is the number before ':' in the token. Rows from
-- before this migration get bot id 0: they only guarded against redeliveries, and age out within a week.
ALTER TABLE telegram_update ADD COLUMN bot_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE telegram_update ALTER COLUMN bot_id DROP DEFAULT;
ALTER TABLE telegram_update DROP CONSTRAINT telegram_update_pkey;
ALTER TABLE telegram_update ADD PRIMARY KEY (bot_id, update_id);
