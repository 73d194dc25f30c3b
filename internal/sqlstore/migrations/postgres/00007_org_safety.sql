-- Organisations' crisis help and people's discreet mode for PostgreSQL.
-- Keep in step with migrations/sqlite/00007_org_safety.sql: same tables,
-- columns and indexes. Times are unix milliseconds UTC.

-- +goose Up

-- A person's discreet mode: '' follows the organisation in view, 'on'
-- always, 'off' never. Kept on the account row because every page reads it.
ALTER TABLE accounts ADD COLUMN discreet TEXT NOT NULL DEFAULT '' CHECK (discreet IN ('', 'on', 'off'));

-- An organisation's crisis help settings; no row means the instance's
-- defaults. Nothing here names or links to a person.
CREATE TABLE org_safety (
    org_id           TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    show_defaults    BOOLEAN NOT NULL DEFAULT FALSE,
    quick_exit_url   TEXT NOT NULL DEFAULT '',
    discreet_default BOOLEAN NOT NULL DEFAULT FALSE,
    contact          TEXT NOT NULL DEFAULT '',
    updated_at       BIGINT NOT NULL
);

-- The organisation's own crisis lines, shown by position. languages holds
-- one language per line.
CREATE TABLE org_crisis_resources (
    org_id      TEXT NOT NULL REFERENCES org_safety (org_id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    position    BIGINT NOT NULL,
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
);

-- The organisation's edited phrase list for one locale, one phrase per
-- line; a locale without a row uses the starter list.
CREATE TABLE org_crisis_phrases (
    org_id  TEXT NOT NULL REFERENCES org_safety (org_id) ON DELETE CASCADE,
    locale  TEXT NOT NULL,
    phrases TEXT NOT NULL,
    PRIMARY KEY (org_id, locale)
);

-- +goose Down
DROP TABLE org_crisis_phrases;
DROP TABLE org_crisis_resources;
DROP TABLE org_safety;
ALTER TABLE accounts DROP COLUMN discreet;
