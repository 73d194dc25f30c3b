-- Reports, moderation cases, decisions, appeals and settings for SQLite.
-- Keep in step with migrations/postgres/00006_moderation.sql: same tables,
-- columns and indexes. Times are unix milliseconds UTC; STRICT tables.

-- +goose Up

-- Why moderation keeps a post from everyone but its author ('' when it
-- does not): 'review', 'moderator' or 'crisis_hold'.
ALTER TABLE posts ADD COLUMN hidden TEXT NOT NULL DEFAULT '';

-- One case per reported or flagged thing while it is open. target_id is a
-- post id, '<room>:<seq>', an account id or a support request id, so it has
-- no foreign key; subject_id (whom the case is about) is cleared when that
-- account is erased.
CREATE TABLE moderation_cases (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,
    target_id         TEXT NOT NULL,
    context_id        TEXT NOT NULL DEFAULT '',
    subject_id        TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    crisis            INTEGER NOT NULL DEFAULT 0 CHECK (crisis IN (0, 1)),
    coordinators_only INTEGER NOT NULL DEFAULT 0 CHECK (coordinators_only IN (0, 1)),
    weight            REAL NOT NULL DEFAULT 0,
    reports           INTEGER NOT NULL DEFAULT 0,
    urgent            INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    hidden            INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    status            TEXT NOT NULL,
    outcome           TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    resolved_at       INTEGER
) STRICT;
CREATE UNIQUE INDEX moderation_cases_open_target ON moderation_cases (org_id, kind, target_id) WHERE status = 'open';
CREATE INDEX moderation_cases_queue ON moderation_cases (org_id, status, crisis DESC, urgent DESC, weight DESC, created_at);
CREATE INDEX moderation_cases_subject ON moderation_cases (subject_id);

-- One report per person per case; filing again replaces it.
CREATE TABLE moderation_reports (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES moderation_cases (id) ON DELETE CASCADE,
    org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    reporter_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    weight      REAL NOT NULL,
    newcomer    INTEGER NOT NULL DEFAULT 0 CHECK (newcomer IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX moderation_reports_case_reporter ON moderation_reports (case_id, reporter_id);
CREATE INDEX moderation_reports_reporter ON moderation_reports (reporter_id, org_id, updated_at DESC);

-- A staff decision on a case and the one appeal against it. actor_id is
-- kept for the organisation's records (and to pick a different staff
-- member for the appeal) but never shown to the person affected.
CREATE TABLE moderation_decisions (
    id                TEXT PRIMARY KEY,
    case_id           TEXT NOT NULL REFERENCES moderation_cases (id) ON DELETE CASCADE,
    org_id            TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    subject_id        TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    action            TEXT NOT NULL,
    reason            TEXT NOT NULL,
    actor_id          TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    until_at          INTEGER,
    created_at        INTEGER NOT NULL,
    appeal_note       TEXT NOT NULL DEFAULT '',
    appealed_at       INTEGER,
    appeal_outcome    TEXT NOT NULL DEFAULT '',
    appeal_reason     TEXT NOT NULL DEFAULT '',
    appeal_decided_by TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    appeal_decided_at INTEGER
) STRICT;
CREATE INDEX moderation_decisions_case ON moderation_decisions (case_id, created_at);
CREATE INDEX moderation_decisions_subject ON moderation_decisions (org_id, subject_id, created_at DESC);
CREATE INDEX moderation_decisions_appeals ON moderation_decisions (org_id, appealed_at) WHERE appealed_at IS NOT NULL AND appeal_outcome = '';

CREATE TABLE moderation_settings (
    org_id            TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    hide_threshold    REAL NOT NULL,
    hold_crisis_posts INTEGER NOT NULL DEFAULT 0 CHECK (hold_crisis_posts IN (0, 1)),
    updated_at        INTEGER NOT NULL
) STRICT;

-- +goose Down
DROP TABLE moderation_settings;
DROP TABLE moderation_decisions;
DROP TABLE moderation_reports;
DROP TABLE moderation_cases;
ALTER TABLE posts DROP COLUMN hidden;
