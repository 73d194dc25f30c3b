-- Account protection for PostgreSQL. Keep in step with
-- migrations/sqlite/00009_security.sql: same tables, columns and indexes.
-- Times are unix milliseconds UTC (BIGINT).

-- +goose Up

-- How a session passed the second sign-in step ('' = password only).
ALTER TABLE sessions ADD COLUMN two_step TEXT NOT NULL DEFAULT '';

-- Passkeys. credential is go-webauthn's record as JSON (public key, sign
-- count, flags); nothing in it lets anyone sign in.
CREATE TABLE passkeys (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    credential_id BYTEA NOT NULL,
    credential    BYTEA NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT
);
CREATE UNIQUE INDEX passkeys_credential ON passkeys (credential_id);
CREATE INDEX passkeys_account ON passkeys (account_id, created_at);

-- The random WebAuthn user handle of an account (never its handle or email).
CREATE TABLE webauthn_handles (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    handle     BYTEA NOT NULL
);
CREATE UNIQUE INDEX webauthn_handles_handle ON webauthn_handles (handle);

-- Ceremonies in progress: single use, minutes long.
CREATE TABLE webauthn_ceremonies (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    account_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
    data       BYTEA NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX webauthn_ceremonies_expires ON webauthn_ceremonies (expires_at);

-- Authenticator-app set-up; secret is sealed with the instance's key.
CREATE TABLE two_factor (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    secret     BYTEA NOT NULL,
    enabled_at BIGINT,
    last_step  BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Unused recovery codes, as SHA-256 hex.
CREATE TABLE recovery_codes (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL,
    PRIMARY KEY (account_id, hash)
);

-- Failed log-ins per key: an HMAC of a handle or of a network address.
CREATE TABLE login_throttles (
    throttle_key TEXT PRIMARY KEY,
    failures     BIGINT NOT NULL,
    last_failure BIGINT NOT NULL,
    locked_until BIGINT
);
CREATE INDEX login_throttles_last ON login_throttles (last_failure);

-- Secrets every node shares (e.g. the key that hashes addresses).
CREATE TABLE instance_secrets (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

-- +goose Down
DROP TABLE instance_secrets;
DROP TABLE login_throttles;
DROP TABLE recovery_codes;
DROP TABLE two_factor;
DROP TABLE webauthn_ceremonies;
DROP TABLE webauthn_handles;
DROP TABLE passkeys;
ALTER TABLE sessions DROP COLUMN two_step;
