-- Training courses, progress and sign-off for SQLite. Keep in step with
-- migrations/postgres/00003_training.sql: same tables, columns and indexes.
-- Times are unix milliseconds UTC; booleans are 0/1; STRICT tables.

-- +goose Up

-- A course of an organisation. valid_for_ms is how long a sign-off lasts
-- (0: no expiry).
CREATE TABLE courses (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    slug         TEXT NOT NULL,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    valid_for_ms INTEGER NOT NULL DEFAULT 0,
    published    INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    created_by   TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (org_id, slug)
) STRICT;

-- A module of a course. questions and scenarios are JSON arrays of
-- kindred.Question and kindred.Scenario: they are authored, read and
-- marked as a whole, never queried inside.
CREATE TABLE course_modules (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    competency TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    pass_mark  INTEGER NOT NULL,
    questions  TEXT NOT NULL DEFAULT '[]',
    scenarios  TEXT NOT NULL DEFAULT '[]',
    updated_at INTEGER NOT NULL,
    UNIQUE (course_id, position)
) STRICT;

-- A person's work on a module. answers and reflections are JSON objects.
CREATE TABLE module_progress (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    module_id   TEXT NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    course_id   TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    read_at     INTEGER,
    answers     TEXT NOT NULL DEFAULT '{}',
    score       INTEGER NOT NULL DEFAULT 0,
    reflections TEXT NOT NULL DEFAULT '{}',
    passed_at   INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, module_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX module_progress_course ON module_progress (course_id, account_id);

-- Sign-offs: requested by a trainee, decided by a coordinator. A granted
-- one in force (expires_at NULL or later than now) makes a supporter
-- eligible for matching.
CREATE TABLE certifications (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    course_id       TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    decision        TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    requested_at    INTEGER NOT NULL,
    decided_by      TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    decided_at      INTEGER,
    expires_at      INTEGER,
    youth_programme INTEGER NOT NULL DEFAULT 0 CHECK (youth_programme IN (0, 1))
) STRICT;
CREATE INDEX certifications_org_decision ON certifications (org_id, decision, requested_at);
CREATE INDEX certifications_account ON certifications (account_id, org_id, decision);
CREATE INDEX certifications_course ON certifications (course_id);
-- At most one request waits per person and course: two clicks (or two
-- devices) asking at once store one.
CREATE UNIQUE INDEX certifications_one_request ON certifications (course_id, account_id)
    WHERE decision = 'requested';

-- +goose Down
DROP TABLE certifications;
DROP TABLE module_progress;
DROP TABLE course_modules;
DROP TABLE courses;
