-- Organisations' crisis help and people's discreet mode for SQLite.
-- Keep in step with migrations/postgres/00007_org_safety.sql: same tables,
-- columns and indexes. Times are unix milliseconds UTC.

-- +goose Up

-- A person's discreet mode: '' follows the organisation in view, 'on'
-- always, 'off' never. Kept on the account row because every page reads it.
ALTER TABLE accounts ADD COLUMN discreet TEXT NOT NULL DEFAULT '' CHECK (discreet IN ('', 'on', 'off'));

-- An organisation's crisis help settings; no row means the instance's
-- defaults. Nothing here names or links to a person.
CREATE TABLE org_safety (
    org_id           TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    show_defaults    INTEGER NOT NULL DEFAULT 0 CHECK (show_defaults IN (0, 1)),
    quick_exit_url   TEXT NOT NULL DEFAULT '',
    discreet_default INTEGER NOT NULL DEFAULT 0 CHECK (discreet_default IN (0, 1)),
    contact          TEXT NOT NULL DEFAULT '',
    updated_at       INTEGER NOT NULL
) STRICT;

-- The organisation's own crisis lines, shown by position. languages holds
-- one language per line.
CREATE TABLE org_crisis_resources (
    org_id      TEXT NOT NULL REFERENCES org_safety (org_id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    text_to     TEXT NOT NULL DEFAULT '',
    chat_url    TEXT NOT NULL DEFAULT '',
    hours       TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    languages   TEXT NOT NULL DEFAULT '',
    serves      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, id)
) STRICT;

-- The organisation's edited phrase list for one locale, one phrase per
-- line; a locale without a row uses the starter list.
CREATE TABLE org_crisis_phrases (
    org_id  TEXT NOT NULL REFERENCES org_safety (org_id) ON DELETE CASCADE,
    locale  TEXT NOT NULL,
    phrases TEXT NOT NULL,
    PRIMARY KEY (org_id, locale)
) STRICT;

-- +goose Down
DROP TABLE org_crisis_phrases;
DROP TABLE org_crisis_resources;
DROP TABLE org_safety;
ALTER TABLE accounts DROP COLUMN discreet;
