-- 1:1 peer support for PostgreSQL. Keep in step with
-- migrations/sqlite/00004_support.sql: same tables, columns and indexes.
-- Times are unix milliseconds UTC; booleans are BOOLEAN, as in 00001_core.sql.

-- +goose Up

-- An organisation's support settings, once a coordinator saves them.
-- Durations are milliseconds; taxonomy is a JSON array of {key, label}.
CREATE TABLE support_settings (
    org_id           TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    max_capacity     INTEGER NOT NULL,
    max_shift_ms     BIGINT NOT NULL,
    weekly_hours     INTEGER NOT NULL,
    offer_timeout_ms BIGINT NOT NULL,
    offers_at_once   INTEGER NOT NULL,
    taxonomy         TEXT NOT NULL DEFAULT '[]',
    updated_at       BIGINT NOT NULL
);

-- A peer supporter's profile in one organisation. experiences, languages,
-- identities and availability are JSON arrays: read and written whole,
-- matched in Go. on_shift and shift_started_at belong to the shift methods;
-- last_matched_at is set by an accept, so fairness needs no aggregate.
CREATE TABLE supporter_profiles (
    org_id           TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    account_id       TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    intro            TEXT NOT NULL DEFAULT '',
    experiences      TEXT NOT NULL DEFAULT '[]',
    languages        TEXT NOT NULL DEFAULT '[]',
    identities       TEXT NOT NULL DEFAULT '[]',
    availability     TEXT NOT NULL DEFAULT '[]',
    time_zone        TEXT NOT NULL DEFAULT 'UTC',
    capacity         INTEGER NOT NULL,
    on_shift         BOOLEAN NOT NULL DEFAULT FALSE,
    shift_started_at BIGINT,
    last_matched_at  BIGINT,
    youth_programme  BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (org_id, account_id)
);
-- Candidates are read by organisation and shift; the sweep finds long shifts.
CREATE INDEX supporter_profiles_shift ON supporter_profiles (on_shift, org_id);

CREATE TABLE support_shifts (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL,
    ended_at   BIGINT,
    ended_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX support_shifts_account ON support_shifts (org_id, account_id, started_at);
-- Weekly hours: the shifts of an organisation that ended since a time.
CREATE INDEX support_shifts_ended ON support_shifts (org_id, ended_at);
-- At most one open shift per supporter: a double click stores one.
CREATE UNIQUE INDEX support_shifts_open ON support_shifts (org_id, account_id) WHERE ended_at IS NULL;

-- A member's request for support. topics, identities and excluded are JSON
-- arrays. urgency_rank and crisis order the queue (crisis first, then
-- urgency 0 now, 1 today, 2 whenever, then queued_at). match_id is the
-- current or last match (no foreign key: matches refer to requests).
CREATE TABLE support_requests (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    member_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    topics        TEXT NOT NULL DEFAULT '[]',
    details       TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT '',
    identities    TEXT NOT NULL DEFAULT '[]',
    not_my_school BOOLEAN NOT NULL DEFAULT FALSE,
    urgency       TEXT NOT NULL,
    urgency_rank  INTEGER NOT NULL,
    crisis        BOOLEAN NOT NULL DEFAULT FALSE,
    status        TEXT NOT NULL,
    match_id      TEXT NOT NULL DEFAULT '',
    excluded      TEXT NOT NULL DEFAULT '[]',
    created_at    BIGINT NOT NULL,
    queued_at     BIGINT NOT NULL,
    waiting_since BIGINT NOT NULL,
    closed_at     BIGINT,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX support_requests_queue ON support_requests (org_id, status, crisis, urgency_rank, queued_at);
CREATE INDEX support_requests_member ON support_requests (member_id, org_id, status);
-- One open request per member and organisation, whatever races.
CREATE UNIQUE INDEX support_requests_one_open ON support_requests (org_id, member_id)
    WHERE status IN ('waiting', 'matched');

CREATE TABLE support_offers (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    request_id   TEXT NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
    supporter_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    rank         INTEGER NOT NULL,
    score        DOUBLE PRECISION NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    answered_at  BIGINT
);
CREATE INDEX support_offers_request ON support_offers (request_id, status);
CREATE INDEX support_offers_supporter ON support_offers (supporter_id, status, org_id);
CREATE INDEX support_offers_due ON support_offers (status, expires_at);
-- Never two open offers of one request to one supporter.
CREATE UNIQUE INDEX support_offers_one_open ON support_offers (request_id, supporter_id) WHERE status = 'open';

CREATE TABLE support_matches (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    request_id          TEXT NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
    supporter_id        TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    member_id           TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    room_id             TEXT NOT NULL DEFAULT '',
    reason              TEXT NOT NULL DEFAULT '',
    waited_ms           BIGINT NOT NULL DEFAULT 0,
    started_at          BIGINT NOT NULL,
    ended_at            BIGINT,
    ended_by            TEXT NOT NULL DEFAULT '',
    end_kind            TEXT NOT NULL DEFAULT '',
    handoff_proposed_at BIGINT,
    handoff_note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX support_matches_org ON support_matches (org_id, started_at);
CREATE INDEX support_matches_room ON support_matches (room_id);
CREATE INDEX support_matches_supporter ON support_matches (supporter_id, org_id, started_at);
-- Loads: the open matches of an organisation, by supporter.
CREATE INDEX support_matches_active ON support_matches (org_id, supporter_id) WHERE ended_at IS NULL;
CREATE INDEX support_matches_member ON support_matches (member_id, org_id);
CREATE INDEX support_matches_request ON support_matches (request_id);
-- Never two active matches of one request, even if every other guard failed.
CREATE UNIQUE INDEX support_matches_one_active ON support_matches (request_id) WHERE ended_at IS NULL;

CREATE TABLE support_feedback (
    match_id     TEXT PRIMARY KEY REFERENCES support_matches (id) ON DELETE CASCADE,
    org_id       TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    member_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    supporter_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    helped       TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);
CREATE INDEX support_feedback_org ON support_feedback (org_id, created_at);

CREATE TABLE support_debriefs (
    match_id     TEXT PRIMARY KEY REFERENCES support_matches (id) ON DELETE CASCADE,
    org_id       TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    supporter_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    body         TEXT NOT NULL DEFAULT '',
    check_in     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   BIGINT NOT NULL
);
CREATE INDEX support_debriefs_org ON support_debriefs (org_id, created_at);

CREATE TABLE support_escalations (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    match_id    TEXT NOT NULL REFERENCES support_matches (id) ON DELETE CASCADE,
    request_id  TEXT NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
    raised_by   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL DEFAULT '',
    urgent      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT NOT NULL,
    resolved_at BIGINT,
    resolved_by TEXT NOT NULL DEFAULT '',
    resolution  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX support_escalations_org ON support_escalations (org_id, resolved_at, created_at);

-- +goose Down
DROP TABLE support_escalations;
DROP TABLE support_debriefs;
DROP TABLE support_feedback;
DROP TABLE support_matches;
DROP TABLE support_offers;
DROP TABLE support_requests;
DROP TABLE support_shifts;
DROP TABLE supporter_profiles;
DROP TABLE support_settings;
