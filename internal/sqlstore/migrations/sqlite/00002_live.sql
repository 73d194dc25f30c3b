-- Live meetings, chat and blocks for SQLite. Keep in step with
-- migrations/postgres/00002_live.sql: same tables, columns and indexes.
-- Times are unix milliseconds UTC; booleans are 0/1; STRICT tables.

-- +goose Up

-- A scheduled meeting of a group, once or repeating. duration_ms is a
-- time.Duration in milliseconds; time_zone keeps the wall-clock time of
-- every repeat.
CREATE TABLE group_sessions (
    id          TEXT PRIMARY KEY,
    group_id    TEXT NOT NULL REFERENCES peer_groups (id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    agenda      TEXT NOT NULL DEFAULT '',
    start_at    INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    time_zone   TEXT NOT NULL,
    recurrence  TEXT NOT NULL,
    until_at    INTEGER,
    capacity    INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL REFERENCES accounts (id),
    created_at  INTEGER NOT NULL,
    canceled_at INTEGER
) STRICT;
CREATE INDEX group_sessions_group_start ON group_sessions (group_id, start_at, id);
CREATE INDEX group_sessions_created_by ON group_sessions (created_by);

-- One answer per person per meeting; occurrence is the meeting's start.
CREATE TABLE session_rsvps (
    session_id  TEXT NOT NULL REFERENCES group_sessions (id) ON DELETE CASCADE,
    occurrence  INTEGER NOT NULL,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    going       INTEGER NOT NULL CHECK (going IN (0, 1)),
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, occurrence, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX session_rsvps_account ON session_rsvps (account_id);

-- A chat room: one meeting of a session, or a 1:1 conversation.
-- room_key is NULL when the room has none (NULLs never collide in a unique
-- index). last_seq and member_count are the counters that number messages
-- and members; updating them takes the room's row lock, which serializes
-- concurrent senders and joiners on PostgreSQL. occurrence and ends_at are
-- 0 for conversations.
CREATE TABLE rooms (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    org_id          TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    room_key        TEXT,
    group_id        TEXT REFERENCES peer_groups (id) ON DELETE CASCADE,
    session_id      TEXT REFERENCES group_sessions (id) ON DELETE CASCADE,
    occurrence      INTEGER NOT NULL DEFAULT 0,
    ends_at         INTEGER NOT NULL DEFAULT 0,
    purpose         TEXT NOT NULL DEFAULT '',
    opened_at       INTEGER,
    ended_at        INTEGER,
    ended_by        TEXT,
    last_seq        INTEGER NOT NULL DEFAULT 0,
    last_message_at INTEGER,
    member_count    INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX rooms_key ON rooms (room_key);
CREATE INDEX rooms_org_kind ON rooms (org_id, kind);
CREATE INDEX rooms_group ON rooms (group_id);
CREATE INDEX rooms_session ON rooms (session_id, occurrence);

CREATE TABLE room_members (
    room_id       TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    anonymous     INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    agreed_at     INTEGER,
    joined_at     INTEGER NOT NULL,
    muted_until   INTEGER,
    removed_at    INTEGER,
    removed_by    TEXT,
    last_read_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (room_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX room_members_number ON room_members (room_id, number);
CREATE INDEX room_members_account ON room_members (account_id, room_id);

-- Messages are numbered per room by seq (1, 2, 3…, no gaps). author_id is
-- NULL for notices and, like posts.author_id, does not cascade. A nonce is
-- unique per author and room, so a resent message is stored once.
CREATE TABLE chat_messages (
    id         TEXT PRIMARY KEY,
    room_id    TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    author_id  TEXT REFERENCES accounts (id),
    nonce      TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    body_html  TEXT NOT NULL DEFAULT '',
    removes    INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    removed_at INTEGER,
    removed_by TEXT,
    reason     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX chat_messages_room_seq ON chat_messages (room_id, seq);
CREATE UNIQUE INDEX chat_messages_nonce ON chat_messages (room_id, author_id, nonce) WHERE nonce <> '';
CREATE INDEX chat_messages_author ON chat_messages (author_id);

-- account_id blocked blocked_id; a block hides each from the other.
CREATE TABLE blocks (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    blocked_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, blocked_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX blocks_blocked ON blocks (blocked_id, account_id);

-- +goose Down
DROP TABLE blocks;
DROP TABLE chat_messages;
DROP TABLE room_members;
DROP TABLE rooms;
DROP TABLE session_rsvps;
DROP TABLE group_sessions;
