-- Uploaded images for PostgreSQL. Keep in step with
-- migrations/sqlite/00011_uploads.sql: same tables, columns and indexes.
-- Times are unix milliseconds UTC.

-- +goose Up

-- One row per stored image. The bytes live in the uploads directory under
-- file (<account id>/<random name>), already re-encoded without metadata;
-- originals are never kept. Avatars have no organisation or group; post
-- images remember where they were uploaded, which decides who may see them.
-- Deleting the account deletes the rows (its files are removed by the
-- uploads service); deleting a group deletes its images' rows.
CREATE TABLE uploads (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    org_id       TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    group_id     TEXT REFERENCES peer_groups (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('avatar', 'post')),
    file         TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX uploads_one_avatar ON uploads (account_id) WHERE kind = 'avatar';
CREATE INDEX uploads_account ON uploads (account_id, created_at);

-- +goose Down
DROP TABLE uploads;
