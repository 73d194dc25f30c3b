-- Mutes and hidden topics for PostgreSQL. Keep in step with
-- migrations/sqlite/00010_mutes.sql: same tables, columns and indexes.
-- Times are unix milliseconds UTC.

-- +goose Up

-- account_id muted muted_id: muted_id's words are hidden from account_id
-- only, and muted_id is never told. Deleting either account erases it.
CREATE TABLE mutes (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    muted_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, muted_id)
);
CREATE INDEX mutes_muted ON mutes (muted_id, account_id);

-- The content-warning topics a person never wants to see, in their own
-- words (topic) and folded for matching and uniqueness (folded: lower
-- case, every run of other characters one space; kindred.FoldTopic).
CREATE TABLE hidden_topics (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    folded     TEXT NOT NULL,
    topic      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, folded)
);

-- +goose Down
DROP TABLE hidden_topics;
DROP TABLE mutes;
