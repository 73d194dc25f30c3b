-- Kindred's core tables for SQLite. Keep in step with
-- migrations/postgres/00001_core.sql: same tables, columns and indexes.
-- Times are unix milliseconds UTC; booleans are 0/1; STRICT makes SQLite
-- refuse a value of the wrong type instead of storing it silently.

-- +goose Up
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    handle        TEXT NOT NULL,
    handle_norm   TEXT NOT NULL,
    display_name  TEXT NOT NULL DEFAULT '',
    pronouns      TEXT NOT NULL DEFAULT '',
    bio           TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    age_band      TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    is_operator   INTEGER NOT NULL DEFAULT 0 CHECK (is_operator IN (0, 1)),
    created_at    INTEGER NOT NULL,
    suspended_at  INTEGER
) STRICT;
CREATE UNIQUE INDEX accounts_handle_norm ON accounts (handle_norm);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    label        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_account ON sessions (account_id, created_at);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
) STRICT;
CREATE UNIQUE INDEX tokens_hash ON tokens (hash);
CREATE INDEX tokens_account ON tokens (account_id, created_at);

CREATE TABLE organizations (
    id              TEXT PRIMARY KEY,
    slug            TEXT NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    join_policy     TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    code_of_conduct TEXT NOT NULL DEFAULT '',
    listed          INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1)),
    created_at      INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX organizations_slug ON organizations (slug);
CREATE INDEX organizations_name ON organizations (name, id);

CREATE TABLE memberships (
    org_id              TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    account_id          TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    roles               INTEGER NOT NULL DEFAULT 0,
    status              TEXT NOT NULL,
    display_name        TEXT NOT NULL DEFAULT '',
    conduct_accepted_at INTEGER,
    created_at          INTEGER NOT NULL,
    PRIMARY KEY (org_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX memberships_account ON memberships (account_id, status);
CREATE INDEX memberships_org_created ON memberships (org_id, created_at);

CREATE TABLE peer_groups (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    topic       TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    guidelines  TEXT NOT NULL DEFAULT '',
    visibility  TEXT NOT NULL,
    age_rule    TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES accounts (id),
    created_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX peer_groups_org_slug ON peer_groups (org_id, slug);
CREATE INDEX peer_groups_org_name ON peer_groups (org_id, name);

CREATE TABLE group_members (
    group_id   TEXT NOT NULL REFERENCES peer_groups (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_account ON group_members (account_id);
CREATE INDEX group_members_group_created ON group_members (group_id, created_at);

CREATE TABLE invites (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    group_id   TEXT REFERENCES peer_groups (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES accounts (id),
    expires_at INTEGER NOT NULL,
    max_uses   INTEGER NOT NULL,
    uses       INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
CREATE UNIQUE INDEX invites_code_hash ON invites (code_hash);
CREATE INDEX invites_org_created ON invites (org_id, created_at);
CREATE INDEX invites_group ON invites (group_id);

-- opening_post_id has no foreign key: the thread and its opening post
-- refer to each other and are always written in one transaction.
CREATE TABLE threads (
    id              TEXT PRIMARY KEY,
    group_id        TEXT NOT NULL REFERENCES peer_groups (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    author_id       TEXT NOT NULL REFERENCES accounts (id),
    anonymous       INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    created_at      INTEGER NOT NULL,
    last_post_at    INTEGER NOT NULL,
    reply_count     INTEGER NOT NULL DEFAULT 0,
    opening_post_id TEXT NOT NULL
) STRICT;
CREATE INDEX threads_group_activity ON threads (group_id, last_post_at DESC, id DESC);
CREATE INDEX threads_author ON threads (author_id);

CREATE TABLE posts (
    id              TEXT PRIMARY KEY,
    thread_id       TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    author_id       TEXT NOT NULL REFERENCES accounts (id),
    anonymous       INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    body            TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',
    content_warning TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    edited_at       INTEGER,
    deleted_at      INTEGER,
    deleted_by      TEXT
) STRICT;
CREATE INDEX posts_thread_created ON posts (thread_id, created_at, id);
CREATE INDEX posts_author ON posts (author_id, created_at);

CREATE TABLE reactions (
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, account_id, kind)
) STRICT, WITHOUT ROWID;
CREATE INDEX reactions_account ON reactions (account_id);

-- The audit log has no foreign keys on purpose: entries must outlive what
-- they describe, and deleting one would break the hash chain.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    org_id     TEXT NOT NULL DEFAULT '',
    actor_id   TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    target     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_org ON audit_log (org_id, seq DESC);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE reactions;
DROP TABLE posts;
DROP TABLE threads;
DROP TABLE invites;
DROP TABLE group_members;
DROP TABLE peer_groups;
DROP TABLE memberships;
DROP TABLE organizations;
DROP TABLE tokens;
DROP TABLE sessions;
DROP TABLE accounts;
