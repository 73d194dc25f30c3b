-- Safety plans for PostgreSQL. Keep in step with
-- migrations/sqlite/00005_safety.sql: same tables, columns and indexes.
-- Times are unix milliseconds UTC.

-- +goose Up

-- A person's own six-step safety plan, one per account and instance-wide
-- (not per organisation). Nobody else reads it, except the one supporter
-- in shared_with when the person chooses; deleting the account erases it,
-- and deleting that supporter's account makes it private again.
CREATE TABLE safety_plans (
    account_id        TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    warning_signs     TEXT NOT NULL DEFAULT '',
    coping            TEXT NOT NULL DEFAULT '',
    distractions      TEXT NOT NULL DEFAULT '',
    people            TEXT NOT NULL DEFAULT '',
    professionals     TEXT NOT NULL DEFAULT '',
    safe_surroundings TEXT NOT NULL DEFAULT '',
    shared_with       TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX safety_plans_shared_with ON safety_plans (shared_with) WHERE shared_with IS NOT NULL;

-- +goose Down
DROP TABLE safety_plans;
