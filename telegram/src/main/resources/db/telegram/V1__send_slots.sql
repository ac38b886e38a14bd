-- The shared spacing of Telegram sends (SharedChatThrottle; docs/decisions/0016-telegram-shared-send-limits.md): one
-- row per bot and one per (bot, chat) holding the next moment a send may go. Keyed by the bot's numeric id (the part
-- of the token before ':'), never by the token. Migrated by the telegram library (TelegramSchema) in every service
-- that speaks as the bot, all sharing this schema's one Flyway history.

CREATE TABLE bot_send_slot (
    bot_id  BIGINT PRIMARY KEY,
    next_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE chat_send_slot (
    bot_id  BIGINT NOT NULL,
    chat_id BIGINT NOT NULL,
    next_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (bot_id, chat_id)
);

-- for forgetting chats whose next moment is long past
CREATE INDEX chat_send_slot_next_at ON chat_send_slot (next_at);
