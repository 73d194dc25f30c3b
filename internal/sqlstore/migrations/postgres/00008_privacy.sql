-- Data rights and chat retention for PostgreSQL. Keep in step with
-- migrations/sqlite/00008_privacy.sql: same tables, columns and indexes.
-- Times are unix milliseconds UTC.

-- +goose Up

-- An organisation's data-keeping rules. No row means the defaults: chat
-- is kept until someone removes it.
CREATE TABLE privacy_settings (
    org_id              TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    chat_retention_days INTEGER NOT NULL DEFAULT 0,
    updated_at          BIGINT NOT NULL
);

-- When an account was erased: the row stays as a tombstone that others'
-- records (replies in its threads, the audit log) may still point to, and
-- holds nothing the person wrote.
ALTER TABLE accounts ADD COLUMN erased_at BIGINT;

-- The retention sweep deletes by room and age.
CREATE INDEX chat_messages_room_created ON chat_messages (room_id, created_at);

-- +goose Down
DROP INDEX chat_messages_room_created;
ALTER TABLE accounts DROP COLUMN erased_at;
DROP TABLE privacy_settings;
